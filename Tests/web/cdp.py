"""A minimal Chrome DevTools Protocol client over a WebSocket, Python standard library only.

Chromium(...) starts a headless browser on a free DevTools port; Page(...) talks to its first tab:
call() sends a command and returns its result; events are kept in order in `events` and handed to
the handlers registered with on(), which may send commands of their own (fire and forget).
"""
import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import time
import urllib.request


class CDPError(Exception):
    pass


class WebSocket:
    """RFC 6455, client side: text frames out (masked), text/binary/continuation/ping/close in."""

    def __init__(self, url, timeout=30):
        assert url.startswith("ws://")
        hostport, _, path = url[5:].partition("/")
        host, _, port = hostport.partition(":")
        self.sock = socket.create_connection((host, int(port)), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET /%s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
                           % (path, hostport, key)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise CDPError("WebSocket handshake: connection closed")
            head += chunk
        head, _, self.buffer = head.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise CDPError("WebSocket handshake refused: %r" % head[:200])

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buffer)))
            if not chunk:
                raise CDPError("WebSocket closed by the browser")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _send_frame(self, opcode, payload):
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        repeated = (mask * (n // 4 + 1))[:n]
        masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(n, "big") if n else b""
        self.sock.sendall(header + mask + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def receive(self):
        """The next whole text message (pings answered, fragments joined)."""
        parts = []
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
            if opcode == 0x9:
                self._send_frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise CDPError("WebSocket closed by the browser")
            if opcode in (0x0, 0x1, 0x2):
                parts.append(payload)
                if b0 & 0x80:
                    return b"".join(parts).decode("utf-8", "replace")

    def close(self):
        try:
            self._send_frame(0x8, b"")
            self.sock.close()
        except OSError:
            pass


class Page:
    """One tab: commands and events."""

    def __init__(self, ws_url):
        self.ws = WebSocket(ws_url)
        self.next_id = 0
        self.events = []
        self.handlers = {}
        self.results = {}

    def on(self, method, handler):
        self.handlers.setdefault(method, []).append(handler)

    def send(self, method, params=None):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params or {}}))
        return self.next_id

    def _dispatch(self, message):
        if "id" in message:
            self.results[message["id"]] = message
            return
        self.events.append(message)
        for handler in self.handlers.get(message.get("method"), []):
            handler(message.get("params", {}))

    def pump(self, seconds):
        """Handles events for `seconds`."""
        deadline = time.time() + seconds
        while True:
            left = deadline - time.time()
            if left <= 0:
                return
            self.ws.sock.settimeout(left)
            try:
                self._dispatch(json.loads(self.ws.receive()))
            except socket.timeout:
                return
            finally:
                self.ws.sock.settimeout(60)

    def call(self, method, params=None, timeout=60):
        sent = self.send(method, params)
        deadline = time.time() + timeout
        while sent not in self.results:
            if time.time() > deadline:
                raise CDPError("%s: no answer within %d s" % (method, timeout))
            self.ws.sock.settimeout(max(0.1, deadline - time.time()))
            try:
                self._dispatch(json.loads(self.ws.receive()))
            except socket.timeout:
                continue
            finally:
                self.ws.sock.settimeout(60)
        message = self.results.pop(sent)
        if "error" in message:
            raise CDPError("%s: %s" % (method, message["error"]))
        return message.get("result", {})

    def evaluate(self, expression, timeout=30):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, timeout=timeout)
        if "exceptionDetails" in result:
            raise CDPError("evaluate %r: %s" % (expression[:80], result["exceptionDetails"]))
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout, what):
        """Polls `expression` until truthy; returns its value."""
        deadline = time.time() + timeout
        value = None
        while time.time() < deadline:
            try:
                value = self.evaluate(expression)
            except CDPError as e:  # e.g. the document not there yet after a navigation
                value = e
            if value and not isinstance(value, CDPError):
                return value
            self.pump(0.25)
        raise CDPError("timed out after %d s waiting for %s (last: %r)" % (timeout, what, value))

    def close(self):
        self.ws.close()


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Chromium:
    """A headless Chromium with its own throw-away profile."""

    def __init__(self, binary, workdir):
        self.profile = os.path.join(workdir, "chromium-profile")
        os.makedirs(self.profile, exist_ok=True)
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        if os.path.exists(port_file):
            os.remove(port_file)
        self.log_path = os.path.join(workdir, "chromium.log")
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-features=Translate,MediaRouter,OptimizationHints",
                "--password-store=basic", "--hide-scrollbars", "--mute-audio", "--force-color-profile=srgb",
                "--user-data-dir=" + self.profile, "--remote-debugging-port=0", "about:blank"]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise CDPError("chromium exited with %s; see %s" % (self.proc.returncode, self.log_path))
            try:
                with open(port_file) as f:
                    self.port = int(f.readline())
                break
            except (OSError, ValueError):
                time.sleep(0.1)
        else:
            raise CDPError("chromium wrote no DevToolsActivePort within 60 s")

    def page(self):
        deadline = time.time() + 30
        while time.time() < deadline:
            with urllib.request.urlopen("http://127.0.0.1:%d/json/list" % self.port, timeout=10) as r:
                targets = json.load(r)
            pages = [t for t in targets if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
            if pages:
                return Page(pages[0]["webSocketDebuggerUrl"])
            time.sleep(0.2)
        raise CDPError("chromium has no page target")

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 15)
            except OSError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(5)
