/* console.js: the policyd web console: live alarms (server-sent events) answered with
   POST /api/answer, the decision log with filters, the policy files with their diffs, and
   learned policies reviewed rule by rule (POST /api/review/check and /api/review/save). */
"use strict";

const ERRNOS = ["EPERM", "EACCES", "ENOENT", "EROFS", "EEXIST", "ENOTDIR",
	"EISDIR", "EINVAL", "ENOSYS", "ECONNREFUSED", "EIO"];
const MAXDEC = 1000;
let alarms = [];		/* as policyd sent them last */
let alarmsAt = 0;		/* when (performance.now()) */
let decisions = [];
const open = {};		/* alarm id -> its "always" panel's state */

function $(id) { return document.getElementById(id); }
function el(tag, cls, text) {
	const e = document.createElement(tag);
	if (cls) e.className = cls;
	if (text !== undefined) e.textContent = text;
	return e;
}

/* ---- tabs ---------------------------------------------------------------- */
for (const t of document.querySelectorAll(".tab")) {
	t.addEventListener("click", () => {
		for (const u of document.querySelectorAll(".tab"))
			u.classList.toggle("active", u === t);
		for (const v of document.querySelectorAll(".view"))
			v.classList.toggle("hidden", v.id !== "view-" + t.dataset.view);
		if (t.dataset.view === "policies") loadPolicies();
		if (t.dataset.view === "learning") loadReviews();
	});
}

/* ---- alarms -------------------------------------------------------------- */
function secondsLeft(a) {
	return Math.max(0, Math.round((a.remaining_ms - (performance.now() - alarmsAt)) / 1000));
}

function fact(dl, k, v) {
	dl.append(el("dt", "", k));
	const d = el("dd");
	if (v instanceof Node) d.append(v); else d.textContent = v;
	dl.append(d);
}

function post(params) {
	return fetch("/api/answer", {
		method: "POST", credentials: "same-origin",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams(params).toString()
	}).then(r => r.json().catch(() => ({ status: "error", text: "HTTP " + r.status })));
}

function answer(a, card, action, scope, extra) {
	const p = Object.assign({ id: a.id, action: action, scope: scope }, extra || {});
	if (action === "deny") p.errno = card.querySelector("select.errno").value;
	const res = card.querySelector(".result");
	res.textContent = "…";
	post(p).then(j => {
		res.textContent = j.text;
		res.classList.toggle("error", j.status !== "ok");
		/* the card goes with the alarm: say it where it stays */
		if (j.status !== "invalid") {
			const done = $("answered");
			done.textContent = j.text;
			done.classList.toggle("error", j.status !== "ok");
			done.classList.remove("hidden");
		}
		if (j.status === "ok" || j.status === "persist") {
			delete open[a.id];
			card.classList.add("answered");
		}
	});
}

function preview(a, card) {
	const st = open[a.id];
	const q = new URLSearchParams({ id: a.id, action: st.action, widen: st.widen, pattern: st.pattern });
	if (st.action === "deny") q.set("errno", card.querySelector("select.errno").value);
	const box = card.querySelector(".always .rule"), err = card.querySelector(".always .check");
	fetch("/api/rule?" + q.toString(), { credentials: "same-origin" })
		.then(r => r.ok ? r.json() : r.text().then(t => ({ ok: false, error: t })))
		.then(j => {
			box.textContent = j.ok ? j.rule : "";
			err.textContent = j.ok ? "checked by the compiler: it covers this call" : j.error;
			err.classList.toggle("error", !j.ok);
			card.querySelector("button.save").disabled = !j.ok;
		});
}

function alwaysPanel(a, card) {
	const st = open[a.id];
	const p = el("div", "always");
	p.append(el("div", "", (st.action === "permit" ? "Permit" : "Deny") +
		" always: this rule will be written to " + (a.file || "the policy") + ":"));
	p.append(el("code", "rule", ""));
	const check = el("div", "check note", "");
	p.append(check);
	const mk = (val, label) => {
		const l = el("label");
		const r = el("input");
		r.type = "radio"; r.name = "widen-" + a.id; r.value = val;
		r.className = "widen-" + val;
		r.checked = st.widen === val;
		r.addEventListener("change", () => { st.widen = val; preview(a, card); });
		l.append(r, document.createTextNode(" " + label));
		return l;
	};
	p.append(mk("exact", "exactly this call"));
	if (a.dir) {
		p.append(mk("dir", "anything in " + a.dir + " (inpath)"));
		const l = mk("match", "file names matching ");
		const t = el("input");
		t.type = "text"; t.value = st.pattern; t.className = "pattern";
		t.addEventListener("input", () => { st.pattern = t.value; st.widen = "match";
			l.querySelector("input").checked = true; preview(a, card); });
		l.append(t);
		p.append(l);
	}
	const b = el("div", "buttons");
	const save = el("button", "act save", "Save rule and " + st.action);
	save.addEventListener("click", () => answer(a, card, st.action, "always",
		{ widen: st.widen, pattern: st.pattern }));
	const cancel = el("button", "act cancel", "Cancel");
	cancel.addEventListener("click", () => { delete open[a.id]; render(); });
	b.append(save, cancel);
	p.append(b);
	return p;
}

function card(a) {
	const c = el("article", "alarm");
	c.dataset.alarmId = a.id;
	const h = el("h2", "", a.call);
	if (a.count > 1) h.append(el("span", "count", "  ×" + a.count + " calls waiting"));
	c.append(h);
	const dl = el("dl", "facts");
	fact(dl, "Program", a.program + "  (pid " + a.pid + ")");
	fact(dl, "User", (a.user || "uid " + a.uid) + " (" + a.uid + ")");
	const args = Object.entries(a.arguments || {}).map(([k, v]) => k + " = " + v).join("\n");
	if (args) fact(dl, "Arguments", args);
	fact(dl, "Asked by", a.line ? (a.file || a.policy) + ":" + a.line + "  " + a.rule
		: (a.file || a.policy) + "  (the policy's default)");
	const to = el("span", "timeout", "");
	to.dataset.alarmId = a.id;
	fact(dl, "Times out", to);
	c.append(dl);
	const b = el("div", "buttons");
	const btn = (cls, text, fn) => { const x = el("button", "act " + cls, text); x.addEventListener("click", fn); b.append(x); };
	btn("permit permit-once", "Permit once", () => answer(a, c, "permit", "once"));
	btn("permit permit-always", "Permit always…", () => {
		open[a.id] = { action: "permit", widen: "exact", pattern: a.pattern }; render(); });
	btn("deny deny-once", "Deny once", () => answer(a, c, "deny", "once"));
	btn("deny deny-always", "Deny always…", () => {
		open[a.id] = { action: "deny", widen: "exact", pattern: a.pattern }; render(); });
	const sel = el("select", "errno");
	for (const e of new Set([a.errno].concat(ERRNOS))) {
		const o = el("option", "", e); o.value = e; sel.append(o);
	}
	sel.addEventListener("change", () => { if (open[a.id]) preview(a, c); });
	const lab = el("label", "note", "deny with ");
	lab.append(sel);
	b.append(lab);
	c.append(b);
	if (!a.writable)
		c.append(el("div", "note", "\"always\" cannot be saved: the policy is not a YAML file policyd may write to"));
	if (open[a.id]) { c.append(alwaysPanel(a, c)); }
	c.append(el("div", "result", ""));
	return c;
}

/* Cards are rebuilt only when the set of alarms changes, so that a panel
   being edited is not lost to a countdown. */
let shownKey = "";
function render(force) {
	const key = alarms.map(a => a.id + ":" + a.count).join(",") + "|" + Object.keys(open).join(",");
	$("nalarms").textContent = alarms.length;
	$("nalarms").classList.toggle("hot", alarms.length > 0);
	$("noalarms").classList.toggle("hidden", alarms.length > 0);
	if (key !== shownKey || force) {
		shownKey = key;
		const list = $("alarms");
		list.replaceChildren(...alarms.map(card));
		for (const a of alarms) if (open[a.id]) preview(a, list.querySelector('[data-alarm-id="' + a.id + '"]'));
	}
	tick();
}

function tick() {
	for (const a of alarms) {
		const t = document.querySelector('.timeout[data-alarm-id="' + a.id + '"]');
		if (!t) continue;
		const s = secondsLeft(a);
		t.textContent = "in " + s + " s (then denied)";
		t.classList.toggle("urgent", s < 10);
	}
}
setInterval(tick, 1000);

/* ---- decisions ----------------------------------------------------------- */
function decisionRow(d) {
	const tr = el("tr");
	const td = (t, cls) => tr.append(el("td", cls || "", t));
	td((d.time || "").replace("T", " ").replace(/\.\d+Z$/, ""));
	td(String(d.pid));
	td(d.program);
	td(d.operation);
	td(Object.entries(d.arguments || {}).map(([k, v]) => k + "=" + v).join(" "));
	td(d.action + (d.asked ? " (asked)" : ""), d.action);
	td(d.rule);
	return tr;
}

function renderDecisions() {
	const fp = $("f-program").value, fo = $("f-operation").value, fa = $("f-action").value;
	const rows = decisions.filter(d => (!fp || (d.program || "").includes(fp)) &&
		(!fo || d.operation === fo) && (!fa || d.action === fa));
	$("decisions").replaceChildren(...rows.slice().reverse().map(decisionRow));
	$("ndecisions").textContent = rows.length + " of " + decisions.length;
}
for (const id of ["f-program", "f-operation", "f-action"])
	$(id).addEventListener("input", renderDecisions);
$("filters").addEventListener("submit", e => e.preventDefault());

/* ---- policies ------------------------------------------------------------ */
/* Lines of b not in a (added) and of a not in b (removed), by the longest
   common subsequence; policy files are small. */
function diff(a, b) {
	const n = a.length, m = b.length;
	if (n * m > 4e6) return null;
	const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
	for (let i = n - 1; i >= 0; i--)
		for (let j = m - 1; j >= 0; j--)
			L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
	const out = [];
	let i = 0, j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && a[i] === b[j]) { out.push([" ", b[j], j + 1]); i++; j++; }
		else if (j < m && (i === n || L[i][j + 1] >= L[i + 1][j])) { out.push(["+", b[j], j + 1]); j++; }
		else { out.push(["-", a[i], 0]); i++; }
	}
	return out;
}

function loadPolicies() {
	fetch("/api/policies", { credentials: "same-origin" }).then(r => r.json()).then(list => {
		const box = $("policies");
		if (!list.length) { box.replaceChildren(el("p", "empty", "No policy file yet: files appear when one of their rules asks.")); return; }
		box.replaceChildren(...list.map(p => {
			const s = el("section", "policy");
			s.append(el("h2", "", p.path));
			if (p.text === null) { s.append(el("p", "error", "cannot be read")); return s; }
			const now = p.text.split("\n"), d = p.first !== null ? diff(p.first.split("\n"), now) : null;
			const added = d ? d.filter(x => x[0] !== " ").length : 0;
			s.append(el("p", "note", added ? added + " line(s) changed since policyd first saw this file (green: added)" : "unchanged since policyd first saw it"));
			const src = el("div", "src");
			for (const [k, line, no] of d || now.map((l, i) => [" ", l, i + 1])) {
				const row = el("div", k === "+" ? "add" : k === "-" ? "del" : "");
				row.append(el("span", "n", no ? String(no) : ""));
				/* counts are by the rule's text, wherever the rule is now */
				const key = line.trim(), c = k !== "-" && key && p.counts[key] ? p.counts[key] + "×" : "";
				row.append(el("span", "c", c));
				row.append(document.createTextNode(line));
				src.append(row);
			}
			s.append(src);
			return s;
		}));
	});
}

/* ---- learning: learned policies reviewed rule by rule -------------------- */
function postForm(url, params) {
	return fetch(url, {
		method: "POST", credentials: "same-origin",
		headers: { "Content-Type": "application/x-www-form-urlencoded" },
		body: new URLSearchParams(params).toString()
	}).then(r => r.json().catch(() => ({ ok: false, status: "error", error: "HTTP " + r.status, text: "HTTP " + r.status })));
}

function reviewRule(f, r, i) {
	const row = el("div", "rrule");
	row.dataset.rule = i;
	const keep = el("input");
	keep.type = "checkbox"; keep.checked = true; keep.className = "keep";
	keep.title = "keep this rule";
	keep.addEventListener("change", () => row.classList.toggle("dropped", !keep.checked));
	const com = (r.comment || "").split("\n").map(l => l.trim()).filter(l => l).join("\n");
	row.append(el("span", "", ""), el("div", "rcomment", com));
	const t = el("input");
	t.type = "text"; t.value = r.rule; t.className = "rtext"; t.spellcheck = false;
	const chk = el("div", "rcheck note", "");
	let timer = null;
	t.addEventListener("input", () => {
		t.classList.toggle("edited", t.value !== r.rule);
		clearTimeout(timer);
		if (t.value === r.rule) { chk.textContent = ""; chk.classList.remove("error"); return; }
		timer = setTimeout(() => postForm("/api/review/check", { rule: t.value }).then(j => {
			chk.textContent = j.ok ? "checked by the compiler" : j.error;
			chk.classList.toggle("error", !j.ok);
		}), 250);
	});
	row.append(keep, t, el("span", "", ""), chk);
	return row;
}

function saveReview(f, s) {
	const rows = [...s.querySelectorAll(".rrule")];
	const p = { file: f.id, version: f.version,
		keep: rows.map(row => row.querySelector("input.keep").checked ? "1" : "0").join("") };
	rows.forEach((row, i) => {
		const v = row.querySelector("input.rtext").value;
		if (v !== f.rules[i].rule) p["rule." + i] = v;
	});
	const as = s.querySelector("input.saveas").value.trim();
	if (as) p.as = as;
	const res = s.querySelector(".result");
	res.textContent = "…";
	postForm("/api/review/save", p).then(j => {
		res.textContent = j.text;
		res.classList.toggle("error", j.status !== "saved");
		if (j.status === "saved") setTimeout(() => loadReviews(j.text), 0);
	});
}

function loadReviews(said) {
	fetch("/api/review", { credentials: "same-origin" }).then(r => r.json()).then(list => {
		const box = $("reviews");
		if (!list.length) { box.replaceChildren(el("p", "empty", "No learned policy to review: start policyd with --review FILE (a file policyctl learn -o FILE wrote).")); return; }
		box.replaceChildren(...list.map(f => {
			const s = el("section", "review");
			s.dataset.file = f.id;
			s.append(el("h2", "", f.path));
			if (f.error) { s.append(el("p", "error", f.error)); return s; }
			s.append(el("p", "note", f.rules.length + " rule(s); untick to drop, edit the text to widen"));
			f.rules.forEach((r, i) => s.append(reviewRule(f, r, i)));
			const b = el("div", "buttons");
			const save = el("button", "act save review-save", "Save");
			save.addEventListener("click", () => saveReview(f, s));
			const as = el("input"); as.type = "text"; as.className = "saveas";
			as.placeholder = "or save as NAME.yaml beside it";
			b.append(save, as);
			s.append(b);
			s.append(el("div", "result", said || ""));
			return s;
		}));
	});
}

/* ---- the live feed ------------------------------------------------------- */
function connect() {
	const es = new EventSource("/api/events");
	es.addEventListener("open", () => { $("status").textContent = "live"; $("status").classList.remove("bad"); });
	es.addEventListener("alarms", e => {
		const j = JSON.parse(e.data);
		alarms = j.alarms; alarmsAt = performance.now();
		for (const id of Object.keys(open)) if (!alarms.some(a => String(a.id) === id)) delete open[id];
		$("more").classList.toggle("hidden", j.total <= alarms.length);
		$("more").textContent = (j.total - alarms.length) + " more alarm(s) waiting: answer these first";
		render();
		if (!$("view-policies").classList.contains("hidden")) loadPolicies();
	});
	es.addEventListener("decision", e => {
		decisions.push(JSON.parse(e.data).decision);
		if (decisions.length > MAXDEC) decisions.splice(0, decisions.length - MAXDEC);
		renderDecisions();
	});
	es.addEventListener("error", () => {
		$("status").textContent = "disconnected: reconnecting… (if policyd restarted, open its new URL)";
		$("status").classList.add("bad");
	});
}
connect();
