/* kt.h: helpers the kernel-harness tests share: load the module, confine a process with a
 * YAML policy through /dev/policy, run a stock handler as the unmodified kernel would. */
#ifndef _KT_H_
#define _KT_H_

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kh.h"

/* cmocka setup/teardown: user memory reset, module loaded; unloaded after. */
int	kt_setup(void **);
int	kt_teardown(void **);

/* Compile YAML (a "policy: 1" header with default deny/EACCES is prepended
 * unless the text starts with "policy:") to a blob; free() it. */
void	*kt_blob(const char *yaml, size_t *sizep);
/* Load a policy for l's process through /dev/policy (POLICY_IOC_LOAD). */
int	kt_confine(struct lwp *, const char *yaml);
/* A new process (native unless em) confined by yaml; fails the test if not. */
struct lwp *kt_confined(const char *yaml, struct emul *em);

/* Free a process kt_confined made (teardown frees any left over). */
void	kt_release(struct lwp *);

/* Run the emulation's stock handler for code, re-reading user memory. */
int	kt_stock(struct lwp *, int code, const void *uap, register_t *);

#endif
