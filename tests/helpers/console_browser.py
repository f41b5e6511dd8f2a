# console_browser.py: drives headless Chromium through chromedriver's WebDriver HTTP API
# (urllib only) to answer a policyd console alarm with "permit always"; used by the tests.
"""usage: console_browser.py LOGIN_URL CALL_SUBSTRING EXPECTED_RULE [SHOTS_DIR]

Opens the console at LOGIN_URL, waits for the alarm whose call contains
CALL_SUBSTRING, clicks "Permit always", checks the rule shown is
EXPECTED_RULE (checked by policyd's compiler), saves it and waits for the
answer.  With SHOTS_DIR, saves screenshots of the views there.  With
CONSOLE_REVIEW=SUBSTRING in the environment, then opens the Learning view,
spoils the first rule's text (the compiler's message must show), puts it
back, unticks the rule containing SUBSTRING and saves.  Prints "ok: ..."
lines, or "FAIL: ..." and exits 1."""
import base64, json, os, shutil, socket, subprocess, sys, tempfile, time
import urllib.request, urllib.error

ELEM = "element-6066-11e4-a52e-4f735466cecf"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Driver:
    def __init__(self, chromedriver, chromium, profile):
        self.port = free_port()
        self.proc = subprocess.Popen([chromedriver, "--port=%d" % self.port],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.base = "http://127.0.0.1:%d" % self.port
        for _ in range(100):
            try:
                if self.call("GET", "/status")["value"].get("ready"):
                    break
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--window-size=1280,860",
                "--user-data-dir=" + profile]}}}}
        self.sid = self.call("POST", "/session", caps)["value"]["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            raise RuntimeError("%s %s: %s" % (method, path, e.read()[:300]))

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.sid, path), body)["value"]

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def find(self, css, timeout=15):
        end = time.time() + timeout
        while True:
            v = self.s("POST", "/elements", {"using": "css selector", "value": css})
            if v:
                return [e[ELEM] for e in v]
            if time.time() > end:
                raise RuntimeError("no element %r in %d s" % (css, timeout))
            time.sleep(0.1)

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def click(self, eid):
        self.s("POST", "/element/%s/click" % eid, {})

    def text(self, eid):
        return self.s("GET", "/element/%s/text" % eid)

    def shot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.s("GET", "/screenshot")))

    def quit(self):
        try:
            self.s("DELETE", "")
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def wait_for(what, fn, timeout=15):
    end = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.time() > end:
            raise RuntimeError("timed out waiting for " + what)
        time.sleep(0.1)


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    login, call, rule = sys.argv[1:4]
    shots = sys.argv[4] if len(sys.argv) > 4 else None
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    profile = tempfile.mkdtemp(prefix="console-browser.")
    d = Driver(chromedriver, chromium, profile)
    try:
        d.go(login)
        # the login sets the cookie and sends the browser to the console
        wait_for("the console page", lambda: d.js("return location.pathname") == "/")
        print("ok: logged in with the token, at", d.js("return location.href"))
        wait_for("the live feed", lambda: d.js(
            "return document.getElementById('status').textContent") == "live")
        card = wait_for("the alarm", lambda: d.js(
            "for (const c of document.querySelectorAll('article.alarm'))"
            " if (c.querySelector('h2').textContent.includes(arguments[0]))"
            " return c.dataset.alarmId; return null;", call))
        print("ok: alarm %s shown" % card)
        time.sleep(0.5)
        if shots:
            d.shot(os.path.join(shots, "console-alarms.png"))
        sel = 'article.alarm[data-alarm-id="%s"] ' % card
        d.click(d.find(sel + "button.permit-always")[0])
        shown = wait_for("the rule", lambda: d.text(d.find(sel + ".always .rule")[0]))
        if shown != rule:
            print("FAIL: the rule shown is %r, expected %r" % (shown, rule))
            return 1
        print("ok: the rule to be written is shown:", shown)
        check = wait_for("the compiler's check", lambda: d.text(d.find(sel + ".always .check")[0]))
        print("ok: " + check)
        if shots:
            d.click(d.find(sel + "input.widen-dir")[0])
            wait_for("the widened rule", lambda: "inpath" in d.text(d.find(sel + ".always .rule")[0]))
            d.js("document.querySelector(arguments[0]).scrollIntoView({block: 'end'})",
                 sel + ".always")
            time.sleep(0.3)
            d.shot(os.path.join(shots, "console-always.png"))
            d.click(d.find(sel + "input.widen-exact")[0])
            wait_for("the exact rule", lambda: d.text(d.find(sel + ".always .rule")[0]) == rule)
        d.click(d.find(sel + "button.save")[0])
        res = wait_for("the answer", lambda: d.js(
            "const e = document.getElementById('answered');"
            " return e.classList.contains('hidden') ? '' : e.textContent;"))
        if "rule added" not in res:
            print("FAIL: the answer said %r" % res)
            return 1
        print("ok: answered:", res)
        wait_for("the alarm to go", lambda: not d.js(
            "return document.querySelector('article.alarm[data-alarm-id=\"%s\"]')" % card))
        print("ok: the alarm left the list")
        review = os.environ.get("CONSOLE_REVIEW")
        if review:
            d.js("document.querySelector('.tab[data-view=\"learning\"]').click()")
            rows = d.find("section.review .rrule")
            print("ok: the Learning view lists %d rules" % len(rows))
            first = d.find("section.review .rrule input.rtext")[0]
            orig = d.js("return arguments[0].value", {ELEM: first})
            d.click(first)
            d.s("POST", "/element/%s/value" % first, {"text": "t"})  # ...permitt
            err = wait_for("the compiler's message", lambda: d.text(
                d.find("section.review .rrule .rcheck")[0]))
            if "unknown action" not in err:
                print("FAIL: an edited rule that does not compile showed %r" % err)
                return 1
            print("ok: an edit that does not compile: " + err)
            d.js("arguments[0].value = arguments[1];"
                 " arguments[0].dispatchEvent(new Event('input'))", {ELEM: first}, orig)
            row = d.js("for (const r of document.querySelectorAll('section.review .rrule'))"
                       " if (r.querySelector('input.rtext').value.includes(arguments[0]))"
                       " return r.dataset.rule; return null;", review)
            if row is None:
                print("FAIL: no rule with %r in the Learning view" % review)
                return 1
            d.click(d.find('section.review .rrule[data-rule="%s"] input.keep' % row)[0])
            if shots:
                time.sleep(0.3)
                d.shot(os.path.join(shots, "console-learning.png"))
            d.click(d.find("section.review button.review-save")[0])
            # one script: the view is rebuilt once saved
            res = wait_for("the save", lambda: d.js(
                "const e = document.querySelector('section.review .result');"
                " return e ? e.textContent.replace('\u2026', '') : '';"))
            if "1 dropped" not in res:
                print("FAIL: the save said %r" % res)
                return 1
            print("ok: saved: " + res)
        if shots:
            for view in ("decisions", "policies"):
                d.js("document.querySelector('.tab[data-view=\"%s\"]').click()" % view)
                time.sleep(1.0)
                d.shot(os.path.join(shots, "console-%s.png" % view))
        return 0
    finally:
        d.quit()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except RuntimeError as e:
        print("FAIL:", e)
        sys.exit(1)
