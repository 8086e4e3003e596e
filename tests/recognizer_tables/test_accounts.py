import pytest

from recognizers.accounts import AccountRecognizer, MachineAccountRecognizer

from .helpers import hits

ACC = AccountRecognizer()


@pytest.mark.parametrize("text, expected", [
    (r"ACMEBANK\jdoe logged on", {("AD_DOMAIN", "ACMEBANK"), ("USERNAME", "jdoe")}),
    (r'"CORP\\svc_sql"', {("AD_DOMAIN", "CORP"), ("USERNAME", "svc_sql")}),
    ("ssh jdoe@fs01 -p 22", {("USERNAME", "jdoe"), ("HOSTNAME", "fs01")}),
    (r"C:\Users\elena.petrova\Desktop", {("USERNAME", "elena.petrova")}),
    ("/home/mwebb/.bash_history", {("USERNAME", "mwebb")}),
    ("TargetUserName=tnowak ", {("USERNAME", "tnowak")}),
    ('"userName": "hb-ci-deployer"', {("USERNAME", "hb-ci-deployer")}),
    ("Account Name:  jsmith", {("USERNAME", "jsmith")}),
    ("service svc_backup ran", {("USERNAME", "svc_backup")}),
    ("the user 'ops.bot' ran", {("USERNAME", "ops.bot")}),
    # user names are not only ASCII
    (r"C:\Users\Øystein\Desktop", {("USERNAME", "Øystein")}),
    (r"HALVORSEN\jürgen.weiß logged on", {("AD_DOMAIN", "HALVORSEN"), ("USERNAME", "jürgen.weiß")}),
    ("TargetUserName=ødegård ", {("USERNAME", "ødegård")}),
    ("ssh jürgen@wäscher01", {("USERNAME", "jürgen"), ("HOSTNAME", "wäscher01")}),
    ("service svc_müller ran", {("USERNAME", "svc_müller")}),
    ("TargetUserName=bjo\u0308rn.a\u030as ", {("USERNAME", "bjo\u0308rn.a\u030as")}),   # decomposed
])
def test_account_hits(text, expected):
    assert hits(ACC, text) == expected


@pytest.mark.parametrize("text", [
    r"C:\Windows\System32\cmd.exe", r"HKLM\Software\Microsoft", r"NT AUTHORITY\SYSTEM",
    "user=Administrator", "Account Name: -", r"BUILTIN\Administrators", "mkdir -p /tmp/x",
    "root@web01", r"a\nb escape", "sid=S-1-5-18",
    r"HARDWARE\DESCRIPTION\System", r'"Global\\ShellHWDetectionEvent"', r"NT\CurrentVersion",
    r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Drivers32",
    "Contact@Us", "Jürgen@web01", r"Übersicht\Größe", r"C:\Windows\Système32",
])
def test_account_near_misses(text):
    assert {h for h in hits(ACC, text) if h[0] == "USERNAME"} == set()


def test_machine_account_is_a_host():
    assert hits(MachineAccountRecognizer(), "TargetUserName=FIN-WS-0231$ ") == {("HOSTNAME", "FIN-WS-0231")}
    assert hits(MachineAccountRecognizer(), "TargetUserName=IŞIK-WS-02$ ") == {("HOSTNAME", "IŞIK-WS-02")}
