"""Webhook URLs cannot aim the server inside the network (issue 13): every inside address, given
directly or by a name that resolves to it, is refused when the URL is saved and again when a
reminder is sent; a name that resolved to a public address when saved and to loopback when sent
(DNS rebinding) is refused; the call goes to the address checked; redirects are not followed.
Names are answered by a stub resolver: no real network."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eduplan.notify import outbound
from eduplan.notify.errors import DeliveryError
from eduplan.notify.preferences import validate
from eduplan.notify.webhook import post_json

INSIDE = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.5",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",
    "0.0.0.0",
    "224.0.0.1",
    "240.0.0.1",
    "100.64.0.1",
    "::1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::",
]
PUBLIC = "101.91.0.10"


class StubResolver:
    """Answers from a table; a list of answers per name is used one lookup after another."""

    def __init__(self, table: dict[str, list[list[str]]]) -> None:
        self.table = table
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        answers = self.table.get(host)
        if not answers:
            # An address literal "resolves" to itself.
            try:
                outbound.ipaddress.ip_address(host)
            except ValueError:
                return []
            return [host]
        return answers.pop(0) if len(answers) > 1 else answers[0]


@pytest.fixture
def resolver(monkeypatch) -> StubResolver:
    stub = StubResolver(
        {
            "bot.example.cn": [[PUBLIC]],
            "inside.example.cn": [[PUBLIC, "10.9.8.7"]],  # one inside address among public ones
            "meta.example.cn": [["169.254.169.254"]],
            "v6.example.cn": [["fd00::7"]],
        }
    )
    monkeypatch.setattr(outbound, "resolver", stub)
    monkeypatch.delenv("EDUPLAN_OUTBOUND_ALLOW_HOSTS", raising=False)
    return stub


def _url(address: str, path: str = "/hook") -> str:
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}{path}"


@pytest.mark.parametrize("address", INSIDE)
def test_inside_addresses_are_refused_on_save_and_on_send(resolver, address):
    url = _url(address)
    _, errors = validate(["webhook"], "", url, "dingtalk", True, True)
    assert len(errors) == 1 and "指向内网、本机或保留地址" in errors[0], errors
    with pytest.raises(DeliveryError, match="指向内网、本机或保留地址"):
        post_json(url, {"msgtype": "markdown"})


@pytest.mark.parametrize("name", ["inside.example.cn", "meta.example.cn", "v6.example.cn"])
def test_a_name_resolving_inside_is_refused_on_save_and_on_send(resolver, name):
    url = f"https://{name}/robot/send?access_token=x"
    _, errors = validate(["webhook"], "", url, "dingtalk", True, True)
    assert errors and f"Webhook 地址“{name}”指向内网、本机或保留地址" in errors[0]
    with pytest.raises(DeliveryError, match="指向内网、本机或保留地址"):
        post_json(url, {"msgtype": "markdown"})


def test_a_public_bot_passes_and_other_ports_are_refused(resolver):
    assert validate(["webhook"], "", "https://bot.example.cn/send", "wecom", True, True)[1] == []
    target = outbound.check("https://bot.example.cn/send?key=1")
    assert (target.address, target.port, target.path) == (PUBLIC, 443, "/send?key=1")
    _, errors = validate(["webhook"], "", "http://bot.example.cn:8080/send", "wecom", True, True)
    assert errors == [
        "Webhook 地址只能使用 80 或 443 端口（填的是 8080）；如确需其他端口，请管理员在服务器上允许该主机"
    ]
    _, errors = validate(["webhook"], "", "https://nowhere.example.cn/send", "wecom", True, True)
    assert errors == ["无法解析 Webhook 地址的主机名“nowhere.example.cn”"]


class _Bot(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, self.headers["Host"], json.loads(body)))
        if "moved" in self.path:
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = b'{"errcode": 0}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def bot():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Bot)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_dns_rebinding_between_save_and_send_is_refused(resolver, bot):
    # Public when saved, loopback (where the stub "internal admin" listens) when sent.
    port = bot.server_address[1]
    resolver.table["rebind.example.cn"] = [[PUBLIC], ["127.0.0.1"]]
    url = "http://rebind.example.cn/internal-admin"
    assert validate(["webhook"], "", url, "dingtalk", True, True)[1] == []
    with pytest.raises(DeliveryError, match=re.escape("指向内网、本机或保留地址（127.0.0.1）")):
        post_json(url, {"msgtype": "markdown"})
    assert bot.received == [] and port  # nothing reached the inside


def test_the_call_goes_to_the_address_checked_not_a_second_lookup(resolver, bot, monkeypatch):
    # An administrator allows an intranet gateway; the name is looked up once per send, and the
    # connection is made to that answer even if the system resolver would say otherwise.
    port = bot.server_address[1]
    monkeypatch.setenv("EDUPLAN_OUTBOUND_ALLOW_HOSTS", f"gateway.example.cn:{port}")
    resolver.table["gateway.example.cn"] = [["127.0.0.1"]]
    real = outbound.socket.getaddrinfo

    def only_literals(host, *args, **kwargs):
        if host == "gateway.example.cn":
            pytest.fail("second lookup of the name")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(outbound.socket, "getaddrinfo", only_literals)
    post_json(f"http://gateway.example.cn:{port}/robot/send", {"msgtype": "markdown"})
    assert bot.received == [("/robot/send", f"gateway.example.cn:{port}", {"msgtype": "markdown"})]
    assert resolver.asked == ["gateway.example.cn"]


def test_redirects_are_not_followed(resolver, bot, monkeypatch):
    port = bot.server_address[1]
    monkeypatch.setenv("EDUPLAN_OUTBOUND_ALLOW_HOSTS", f"127.0.0.1:{port}")
    with pytest.raises(DeliveryError, match=re.escape("要求跳转（HTTP 302），为安全起见不跟随跳转")):
        post_json(f"http://127.0.0.1:{port}/moved", {"msgtype": "markdown"})
    assert [path for path, *_ in bot.received] == ["/moved"]  # and nothing at /elsewhere


def test_without_the_allowance_the_local_stub_is_refused(resolver, bot):
    port = bot.server_address[1]
    with pytest.raises(DeliveryError, match="只能使用 80 或 443 端口"):
        post_json(f"http://127.0.0.1:{port}/hook", {"msgtype": "markdown"})
    assert bot.received == []
