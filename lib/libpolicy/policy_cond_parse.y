/* policy_cond_parse.y: grammar of one rule in systrace syntax:
 * "[emul-]op: [condition then] action [log] [widen]", conditions joined by and/or/not/( ). */
%code requires {
#include "policy_compile.h"
typedef void *yyscan_t;
}

%code provides {
#define YYSTYPE PC_YYSTYPE
#define YYLTYPE PC_YYLTYPE
}

%code {
#include "policy_cond_lex.h"

static void
pc_yyerror(YYLTYPE *loc, yyscan_t scanner, struct pc_parse *pp, const char *msg)
{
	(void)scanner;
	if (!pp->failed)
		pc_parse_error(pp, (unsigned)loc->first_line,
		    (unsigned)loc->first_column, "%s", msg);
}
}

%define api.pure full
%define api.prefix {pc_yy}
%define parse.error verbose
%define lr.default-reduction accepting
%locations
%lex-param {yyscan_t scanner}
%parse-param {yyscan_t scanner} {struct pc_parse *pp}

%union {
	struct { const char *s; size_t len; } str;
	unsigned num;
	struct pc_expr *expr;
}

%token END 0 "end of rule"
%token <str> WORD "word"
%token <str> STRING "quoted string"
%token <num> CMP "operator (eq neq match nmatch re nre sub nsub inpath)"
%token THEN "then"
%token AND "and"
%token OR "or"
%token NOT "not"
%token <num> MODIFIER "modifier (log or widen)"
%token LEXERROR "invalid token"
%token START_LINE START_BODY

%type <expr> expr test

%left OR
%left AND
%precedence NOT

%%

input
	: START_LINE line
	| START_BODY body
	;

line
	: WORD ':' {
		if (!pc_set_op(pp, $1.s, $1.len, (unsigned)@1.first_line,
		    (unsigned)@1.first_column))
			YYABORT;
	} body
	;

body
	: action
	| THEN action
	| expr THEN action		{ pp->rule->cond = $1; }
	;

action
	: verb modifiers
	;

modifiers
	: %empty
	| modifiers MODIFIER {
		if (!pc_set_modifier(pp, $2, (unsigned)@2.first_line,
		    (unsigned)@2.first_column))
			YYABORT;
	}
	;

verb
	: WORD {
		if (!pc_set_action(pp, $1.s, (unsigned)@1.first_line,
		    (unsigned)@1.first_column, NULL, 0, 0))
			YYABORT;
	}
	| WORD '[' WORD ']' {
		if (!pc_set_action(pp, $1.s, (unsigned)@1.first_line,
		    (unsigned)@1.first_column, $3.s, (unsigned)@3.first_line,
		    (unsigned)@3.first_column))
			YYABORT;
	}
	;

expr
	: test
	| expr AND expr			{ if (!($$ = pc_make_node(pp, PC_AND, $1, $3))) YYABORT; }
	| expr OR expr			{ if (!($$ = pc_make_node(pp, PC_OR, $1, $3))) YYABORT; }
	| NOT expr			{ if (!($$ = pc_make_node(pp, PC_NOT, $2, NULL))) YYABORT; }
	| '(' expr ')'			{ $$ = $2; }
	;

test
	: WORD CMP STRING {
		if (!($$ = pc_make_test(pp, $1.s, (unsigned)@1.first_line,
		    (unsigned)@1.first_column, $2, $3.s, $3.len,
		    (unsigned)@3.first_line, (unsigned)@3.first_column)))
			YYABORT;
	}
	| WORD CMP WORD {
		if (!($$ = pc_make_test(pp, $1.s, (unsigned)@1.first_line,
		    (unsigned)@1.first_column, $2, $3.s, $3.len,
		    (unsigned)@3.first_line, (unsigned)@3.first_column)))
			YYABORT;
	}
	;

%%
