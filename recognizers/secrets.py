"""Secrets: always replaced, whatever the policy says about indicators.

Private key blocks, AWS secret keys (also in prose and after their key ID), JWTs, HTTP auth
headers, vendor tokens (Slack and its webhooks, GitHub, GitLab, Google, Stripe, npm, PyPI),
passwords after `password=`/`DB_PASSWORD=`/`pwd:`/`-p`/quoted after "password", credentials in
connection strings and URLs, high-entropy values after credential words (also `GITHUB_TOKEN=`), and
in command lines: `net use … /user:x pw`, `psexec -u x -p pw`, `curl -u x:pw`, impacket's
`domain/user:pw@target`, `ConvertTo-SecureString 'pw'`, `NetworkCredential('u','pw')`; BitLocker recovery
passwords; Kerberoast and AS-REP hashes, NetNTLM responses; every value of a Kubernetes Secret's data; network
devices' community strings, passwords and pre-shared keys; Unix password hashes (shadow, htpasswd); .pgpass and
.netrc lines; Wi-Fi keys and PSKs after their words.
Near misses: a SHA-256 after `sha256:`, a SHA-1 after an AWS key ID, `mkdir -p`, `password policy`,
`PASSWORD_MIN_LENGTH=12`, `MAX_TOKENS=4096`, `[REDACTED]`, a ConfigMap's data.
"""
from __future__ import annotations

import base64
import binascii
import json
import re

from .accounts import WELL_KNOWN_DOMAINS, is_builtin
from .base import Candidate, RegexRecognizer, Rule, Span, entropy, in_blob
from .cloud import AWS_KEY_ID
from .english import is_english_word
from .entity_types import AD_DOMAIN, SECRET, USERNAME
from .shapes import DB_CLIENT, DB_CLIENT_NAMES, WIN_REMOTE, WIN_REMOTE_NAMES

_PLACEHOLDERS = frozenset({
    "redacted", "[redacted]", "<redacted>", "removed", "none", "null", "n/a", "***", "changeme?",
    "xxx", "xxxx", "<password>", "[secret]", "<secret>", "(redacted)", "********", "true", "false",
})
# the LM and NT hashes of an empty password (secretsdump prints them for every account without one)
_EMPTY_HASHES = frozenset({"aad3b435b51404eeaad3b435b51404ee", "31d6cfe0d16ae931b73c59d7e0c089c0"})
_CRED_WORDS = (r"password|passwd|pwd|pass|passphrase|passcode|secret|client[_-]?secret|api[_-]?key|apikey"
               r"|psk|pre-?shared[_ -]?key|wpa2?[_ -]?(?:key|passphrase)|wi-?fi[_ -]?key"
               r"|access[_-]?key|secret[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token"
               r"|refresh[_-]?token|token|credentials?|account[_-]?key|shared[_-]?access[_-]?key|private[_-]?key[_-]?id")


_PSEUDONYM = re.compile(r"[A-Z]+(?:-[A-Z]+)*-\d+")   # what we write: `USER-7`, `AWS-KEY-2`


def _jwt_ok(token: str) -> bool:
    head = token.split(".", 1)[0]
    try:
        data = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and ("alg" in data or "typ" in data)


def _looks_like_password(value: str) -> bool:
    """An unquoted word after "password is": letters with digits or symbols (`Winter2024!`) or six
    digits and more (`123456`); not a date, a time, a version or a word."""
    if value.isdigit():
        return True
    return any(c.isalpha() for c in value) and any(not c.isalpha() for c in value) and \
        not is_english_word(value.lower()) and not re.fullmatch(r"v?\d+(?:[.-]\d+)+[a-z]?", value.lower())


_COOKIE_ATTRIBUTES = frozenset({"path", "domain", "expires", "max-age", "samesite", "priority", "version", "comment"})

# URI schemes written `scheme:local@host`, no user and password
_URI_SCHEMES = frozenset({"mailto", "sip", "sips", "xmpp", "im", "pres", "tel", "news", "nntp", "urn", "acct",
                          "smtp", "x500", "x400", "spo"})   # Exchange's proxy addresses: `-ForwardingSmtpAddress smtp:x@y`


_AWS_UNIQUE_ID = re.compile(AWS_KEY_ID)   # a role's, a user's or a key's ID (`cloud.py` reports it)


# a Kubernetes Secret as kubectl prints it (`-o yaml`, `-o json`): every value under `data:` / `stringData:` is
# one (base64 of a password, a key, a connection string), whatever its key's name (`tls.key`, `DB_URL`)
_K8S_SECRET = re.compile(r"(?im)^[ \t]*kind:[ \t]*[\"']?Secret[\"']?[ \t]*\r?$|\"kind\"[ \t]*:[ \t]*\"Secret\"")
_K8S_DATA_BLOCK = re.compile(r"(?m)^(?P<i>[ \t]*)(?:data|stringData):[ \t]*\r?\n"
                             r"(?P<body>(?:(?P=i)[ \t]+[^\n]*(?:\n|$))+)")
_K8S_DATA_ITEM = re.compile(r"(?m)^[ \t]+[\w.-]+:[ \t]+[\"']?(?P<v>[^\s\"'#|>][^\s\"']*)[\"']?[ \t]*\r?$")
_K8S_JSON_DATA = re.compile(r"\"(?:data|stringData)\"[ \t]*:[ \t]*\{(?P<body>[^{}]*)\}")
_K8S_JSON_ITEM = re.compile(r"\"[\w.-]+\"[ \t]*:[ \t]*\"(?P<v>[^\"\s]+)\"")


class SecretRecognizer(RegexRecognizer):
    ENTITIES = (SECRET,)
    RULES = (
        Rule("private key block",
             r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]+?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
             1.0, triggers=('-----begin',), engine="regex"),
        Rule("jwt", r"(?<![\w-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?![\w-])", 0.95, triggers=('eyj',), engine="regex"),
        Rule("http auth header",
             r"(?i)\b(?:authorization|proxy-authorization)\s*[:=]\s*[\"']?(?:bearer|basic|token|digest|negotiate|ntlm)\s+(?P<s>[A-Za-z0-9._~+/=-]{8,})",
             0.95, (("s", SECRET),), triggers=('authorization',), engine="regex"),
        Rule("bearer token", r"(?i)\bbearer\s+(?P<s>[A-Za-z0-9._~+/-]{16,}=*)", 0.9, (("s", SECRET),), triggers=('bearer',), engine="regex"),
        Rule("slack token", r"(?<![\w-])xox[abposr]-[A-Za-z0-9-]{10,}", 0.95, triggers=('xox',), engine="regex"),
        Rule("slack webhook", r"(?i)hooks\.slack\.com/(?:services|workflows)/(?P<s>T[A-Z0-9]{6,}/[A-Z0-9]{6,}/[A-Za-z0-9]{16,})",
             0.95, (("s", SECRET),), triggers=('hooks.slack',), engine="regex"),
        Rule("github token", r"(?<![\w])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})", 0.95, triggers=('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'), engine="regex"),
        Rule("gitlab token", r"(?<![\w-])glpat-[A-Za-z0-9_-]{20,}", 0.95, triggers=('glpat-',), engine="regex"),
        Rule("google api key", r"(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])", 0.95, triggers=('aiza',), engine="regex"),
        Rule("stripe key", r"(?<![\w])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}", 0.95, triggers=('_live_', '_test_'), engine="regex"),
        Rule("npm token", r"(?<![\w])npm_[A-Za-z0-9]{36}(?![\w])", 0.95, triggers=('npm_',), engine="regex"),
        Rule("sendgrid key", r"(?<![\w.-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![\w-])", 0.95, triggers=('sg.',),
             engine="regex"),
        # OpenAI's `sk-proj-…`, `sk-svcacct-…`, Anthropic's `sk-ant-api03-…`: long, so not `sk-learn`
        Rule("ai api key", r"(?<![\w-])sk-(?:proj-|svcacct-|admin-|ant-[a-z]+\d*-)?[A-Za-z0-9_-]{32,}(?![\w-])", 0.95,
             triggers=('sk-',), engine="regex"),
        # an HTTP header that carries a key: `X-API-Key: …`, `Ocp-Apim-Subscription-Key: …`, `X-Auth-Token: …`
        Rule("api key header",
             r"(?im)^[ \t]*(?:x-)?(?:api-?key|auth-?token|access-?token|subscription-key|ocp-apim-subscription-key"
             r"|goog-api-key|functions-key)[ \t]*:[ \t]*(?P<s>[^\s\"']{8,})", 0.95, (("s", SECRET),),
             triggers=('key', 'token'), engine="regex"),
        # a cookie's value in a request's or response's header (session cookies are credentials); not its attributes
        Rule("cookie value",
             r"(?im)(?<=^[ \t]*(?:set-)?cookie[ \t]*:(?:[^\n]*?;)?[ \t]*)(?P<name>[\w.!#$%&'*+^`|~-]+)=(?P<s>[^;\s]{8,})",
             0.9, (("s", SECRET),), triggers=('cookie',), engine="regex"),
        # a session cookie by its name, anywhere (`the stolen ESTSAUTHPERSISTENT=0.AR…` in prose)
        Rule("session cookie",
             r"(?i)(?<![\w.-])(?:ESTSAUTH(?:PERSISTENT|LIGHT)?|SignInStateCookie|PHPSESSID|JSESSIONID|ASP\.NET_SessionId"
             r"|ASPSESSIONID\w*|connect\.sid|laravel_session|_session_id|sessionid|session_token|FedAuth|rtFa|MSISAuth\w*"
             r"|__(?:Secure|Host)-[\w-]+)=(?P<s>[^;\s\"'&<>]{8,})", 0.9, (("s", SECRET),),
             triggers=('estsauth', 'signinstatecookie', 'sessid', 'sessionid', 'connect.sid', 'session', 'fedauth',
                       'rtfa', 'msisauth', '__secure-', '__host-'), engine="regex"),
        # a signed URL's signature and security token (Azure SAS `sig=`, S3 and GCS presigned URLs)
        Rule("url signature",
             r"(?i)[?&](?:sig|signature|x-amz-signature|x-amz-security-token|x-goog-signature|x-amz-credential)"
             r"=(?P<s>[^&\s#\"'<>]{16,})", 0.95, (("s", SECRET),), triggers=('sig', 'x-amz-', 'x-goog-'), engine="regex"),
        Rule("pypi token", r"(?<![\w-])pypi-AgE[A-Za-z0-9_-]{40,}", 0.95, triggers=('pypi-age',), engine="regex"),
        Rule("aws secret access key",
             r"(?i)(?:aws_?secret_?access_?key|secret_?access_?key|secretaccesskey)[\"']?\s*[:=]\s*[\"']?(?P<s>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
             0.95, (("s", SECRET),), triggers=('secret',), engine="regex"),
        # `with secret wJalr…`, `AKIA…:wJalr…`: mixed case, see check
        Rule("aws secret access key (prose)",
             r"(?:(?i:\bsecret(?:\s+access)?(?:\s+key)?(?:\s+(?:is|was))?)\s*[:=]?\s*[\"'`]?"
             r"|(?<![A-Z0-9])A[KS]IA[A-Z0-9]{16}(?![A-Z0-9])[^\n]{0,40}?)"
             r"(?<![A-Za-z0-9/+=])(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
             0.9, (("s", SECRET),), triggers=('secret', 'akia', 'asia'), engine="regex"),
        # also an environment variable's name: `DB_PASSWORD=`, `GITHUB_TOKEN=`
        Rule("credential assignment",
             r"(?i)(?<![\w-])(?:[a-z0-9]+_)*(?:" + _CRED_WORDS + r")[\"']?[ \t]*(?:[:=]|=>|:=)[ \t]*"
             r"(?:\"(?P<dq>[^\"\r\n]{1,200})\"|'(?P<sq>[^'\r\n]{1,200})'|(?P<bare>(?:[^\s,;'\"<>&)}\]]|&(?![\w.-]+=)){1,200}))",
             0.85, (("dq", SECRET), ("sq", SECRET), ("bare", SECRET)),
             triggers=('pass', 'pwd', 'secret', 'key', 'token', 'credential', 'psk')),
        Rule("password in prose",
             r"(?i)\bpass(?:word|phrase)\b[^\n\"'“‘`]{0,30}?(?:is|was|of|to|:)\s*[\"'“‘`](?P<s>[^\"'”’`\s]{3,64})[\"'”’`]",
             0.9, (("s", SECRET),), triggers=('pass',), engine="regex"),
        Rule("password in prose (bare)",   # `Password for svc_backup is Winter2024!`, unquoted
             r"(?i)\bpass(?:word|phrase)\b[^\n\"'“‘`.]{0,40}?\b(?:(?:is|was)\s+(?:set|changed|reset)\s+to|"
             r"(?:set|changed|reset)\s+to|is|was|were)\s+(?P<s>[^\s\"'“‘`]{5,63}[^\s\"'“‘`.,;:)])(?=[\s.,;:)]|$)",
             0.85, (("s", SECRET),), triggers=('pass',), engine="regex"),
        # `created with password P@ssw0rd123!`, `using the new password Winter2024!`, `set the password to Winter2024!`,
        # `reset the password for svc_backup to …` (not `the password list to HTML/CSV`: the verb comes first)
        Rule("password in prose (bare, after with)",
             r"(?i)\b(?:(?:with|using)\s+(?:the\s+|a\s+)?(?:new\s+)?pass(?:word|phrase)"
             r"|(?:set|changed|reset)\s+(?:the\s+|its\s+|his\s+|her\s+|their\s+)?pass(?:word|phrase)\s+(?:(?:of|for)\s+\S+\s+)?to)"
             r"\s+(?P<s>[^\s\"'“‘`]{5,63}[^\s\"'“‘`.,;:)])(?=[\s.,;:)]|$)", 0.85, (("s", SECRET),), triggers=('pass',),
             engine="regex"),
        # `net user backdoor P@ssw0rd123! /add`: the account's password (not `*`, which prompts, nor a switch)
        Rule("net user password",
             r"(?i)\bnet1?(?:\.exe)?[ \t]+user[ \t]+(?:\"[^\"\n]+\"|[^\s/\"]+)[ \t]+(?:\"(?P<dq>[^\"\n]+)\"|(?P<s>(?![/*])[^\s\"]+))",
             0.85, (("dq", SECRET), ("s", SECRET)), triggers=('net user', 'net1 user', 'net.exe user'), engine="regex"),
        Rule("password flag",
             r"(?:(?<=\s)|^)(?:-p(?P<glued>[^\s-][^\s]{2,})|(?:--password|-pass|-pw)[= ](?P<s>\S+)|sshpass\s+-p\s*(?P<sp>\S+))",
             0.85, (("glued", SECRET), ("s", SECRET), ("sp", SECRET)), triggers=('-p',), engine="regex"),
        # `net use \\fs01\share /user:CORP\jdoe Sup3r!` or `… share Sup3r! /user:…`; not `runas /user:x cmd.exe`
        Rule("net use password",
             r"(?i)\bnet1?(?:\.exe)?[ \t]+use\b[^\n]*?(?:/user:\S+[ \t]+(?P<s>(?![/*])[^\s\"']+)"
             r"|[ \t](?P<before>(?![/\\*])[^\s\"']{3,})[ \t]+/user:)",
             0.85, (("s", SECRET), ("before", SECRET)), triggers=('/user:',), engine="regex"),
        # `psexec \\h -u CORP\adm -p Winter2024!`, `crackmapexec smb h -u x -p y`, `curl -u admin:Passw0rd`
        # (not mysql's `-u x -p -h db01`: a bare `-p` prompts, the next switch is no password)
        Rule("user and password switches",
             r"(?:(?<=\s)|^)(?:-u[ \t]+\S+[ \t]+-p[ \t]+[\"']?(?P<s>(?!-)[^\s\"']+)"
             r"|(?:-u|--user)[ \t]+[\"']?(?P<u>[^:\s\"'\\/]+):(?P<up>[^\s\"']+))",
             0.85, (("s", SECRET), ("u", USERNAME), ("up", SECRET)), triggers=('-u',), engine="regex"),
        # a database client's password: sqlcmd's `-P`, redis-cli's `-a`, anyone's `--password=` (mysql's `-p` is a flag above)
        Rule("database client password",
             rf"{DB_CLIENT}[ \t](?P<switch>(?-i:-P[ \t]*|-a[ \t]+|--pass(?:word)?[= ]))"
             r"(?:\"(?P<dq>[^\"\r\n]+)\"|'(?P<sq>[^'\r\n]+)'|(?P<s>[^\s\"']+))", 0.85,
             (("dq", SECRET), ("sq", SECRET), ("s", SECRET)), triggers=DB_CLIENT_NAMES,
             engine="regex"),
        # `schtasks /s h /u x /p Winter2024!`, wevtutil's `/p:pw`; not a bare `/p` (the tool prompts)
        Rule("windows tool password",
             rf"{WIN_REMOTE}/p(?:[ \t]+|:)(?:\"(?P<dq>[^\"\r\n]+)\"|'(?P<sq>[^'\r\n]+)'|(?P<s>(?!/)[^\s\"']+))", 0.85,
             (("dq", SECRET), ("sq", SECRET), ("s", SECRET)), triggers=WIN_REMOTE_NAMES, engine="regex"),
        # impacket and friends: `secretsdump.py corp.local/administrator:Passw0rd!@10.1.2.3`
        Rule("user:password@target",
             r"(?:(?<=[\s\"'=])|^)(?:[\w.-]+/)?(?P<u>[\w.$-]{2,64}):(?P<s>[^\s@:/\"']{3,128})@(?=[\w\[])",
             0.85, (("u", USERNAME), ("s", SECRET)), triggers=('@',)),
        # network devices' configurations (Cisco IOS/ASA): a community string, a password or its hash (type 5, or 7:
        # reversible), a pre-shared key, a TACACS+/RADIUS key; the local user's name too
        Rule("device config secret",
             r"(?im)^[ \t]*(?:snmp-server[ \t]+community|enable[ \t]+(?:secret|password)(?:[ \t]+\d)?"
             r"|crypto[ \t]+isakmp[ \t]+key|(?:tacacs|radius)-server[ \t]+key(?:[ \t]+\d)?"
             r"|(?:ikev[12][ \t]+(?:(?:local|remote)-authentication[ \t]+)?)?pre-shared-key(?:[ \t]+\d)?"
             r"|username[ \t]+(?P<u>\S+)(?:[ \t]+privilege[ \t]+\d+)?[ \t]+(?:secret|password)(?:[ \t]+\d)?)"
             r"[ \t]+(?P<s>\S+)",
             0.95, (("s", SECRET), ("u", USERNAME)),
             triggers=("snmp-server", "enable secret", "enable password", "isakmp", "server key", "pre-shared-key",
                       "username"), engine="regex"),
        # a Unix password hash (crypt: `$6$salt$…`, `$apr1$…`, `$2y$10$…`, yescrypt `$y$…`), and its account on a
        # shadow, passwd or htpasswd line (`ohaugen:$6$…:19000:…`)
        Rule("crypt hash",
             r"(?m)(?:^(?P<u>[a-z_][a-z0-9_.-]{0,31}):)?(?<![\w$])(?P<s>\$(?:1|2[abxy]|5|6|7|y|gy|apr1|md5|sha1)\$"
             r"(?:rounds=\d+\$)?[./A-Za-z0-9$=]{8,200})",
             0.95, (("s", SECRET), ("u", USERNAME)), triggers=("$1$", "$2", "$5$", "$6$", "$7$", "$y$", "$gy$", "$apr1$",
                                                           "$md5$", "$sha1$"), engine="regex"),
        # a PostgreSQL password file's line (`host:port:database:user:password`), a .netrc's machine
        Rule("pgpass line",
             r"(?m)^(?:[A-Za-z0-9.-]*[A-Za-z][A-Za-z0-9.-]*|\*):(?:\d{1,5}|\*):[^:\s]+:"
             r"(?P<u>[^:\s/]+):(?P<s>[^:\s]\S*)[ \t]*\r?$",
             0.9, (("u", USERNAME), ("s", SECRET)), engine="regex"),
        Rule("netrc machine",
             r"(?i)\bmachine[ \t]+\S+[ \t]+login[ \t]+(?P<u>\S+)[ \t]+password[ \t]+(?P<s>\S+)",
             0.95, (("u", USERNAME), ("s", SECRET)), triggers=("machine",), engine="regex"),
        # .NET's credential in a script: `New-Object Net.NetworkCredential('svc_backup','Winter2026!','FJE')`,
        # `[System.Net.NetworkCredential]::new("u", "pw")`: the password, and the user and domain too
        Rule("network credential",
             r"(?i)NetworkCredential(?:\]::new|\))?[ \t]*\([ \t]*[\"'](?P<u>[^\"'\r\n]{1,64})[\"'][ \t]*,[ \t]*"
             r"[\"'](?P<s>[^\"'\r\n]{1,200})[\"'](?:[ \t]*,[ \t]*[\"'](?P<d>[^\"'\r\n]{1,64})[\"'])?",
             0.95, (("u", USERNAME), ("s", SECRET), ("d", AD_DOMAIN)), triggers=("networkcredential",), engine="regex"),
        Rule("securestring", r"(?i)ConvertTo-SecureString[ \t]+(?:-String[ \t]+)?[\"'](?P<s>[^\"'\r\n]{1,200})[\"']",
             0.9, (("s", SECRET),), triggers=('convertto-securestring',), engine="regex"),
        # password hashes of our accounts (pass-the-hash material, not file hashes): mimikatz's `* NTLM : …`,
        # `Hash NTLM: …`, dcsync's `ntlm- 0: …` and Kerberos keys, secretsdump's `user:1106:<LM>:<NT>:::`
        Rule("credential hash",
             r"(?im)^[ \t]*(?:\*[ \t]*(?:NTLM|LM|SHA1|DPAPI)|Hash[ \t]+(?:NTLM|LM)|(?:ntlm|lm)[ \t]*-[ \t]*\d+|"
             r"(?:aes256_hmac|aes128_hmac|des_cbc_md5|rc4_hmac_nt|rc4_hmac_old|rc4_md4|rc4_hmac_nt_exp|rc4_hmac_old_exp)"
             r"(?:[ \t]+\(\d+\))?)[ \t]*:[ \t]*(?P<s>[0-9a-f]{16,64})(?![0-9a-z])",
             0.95, (("s", SECRET),), triggers=("ntlm", "lm", "sha1", "dpapi", "hmac", "des_cbc", "rc4_"), engine="regex"),
        Rule("secretsdump line",
             r"(?m)^(?:[\w.-]+\\)?(?P<u>[^\s:\\]{1,64}):(?P<rid>\d{1,10}):(?P<lm>[0-9a-fA-F]{32}):(?P<nt>[0-9a-fA-F]{32}):::",
             0.95, (("lm", SECRET), ("nt", SECRET), ("u", USERNAME)), triggers=(":::",), engine="regex"),
        # a Kerberos ticket or AS-REP cracked offline (Rubeus, impacket, hashcat's 13100/18200/19700 formats): its
        # checksum and encrypted part are our account's password, in effect; the user, realm and SPN are the
        # other rules'
        Rule("kerberoast hash",
             r"(?i)\$krb5(?:tgs|asrep|pa)\$\d{1,2}\$[^\s]{0,1024}?(?P<s>[0-9a-f]{16,}\$[0-9a-f]{32,})(?![0-9a-z$])",
             0.95, (("s", SECRET),), triggers=("$krb5",), engine="regex"),
        # a NetNTLMv1/v2 response as Responder or hashcat writes it (`mberg::FJE:<challenge>:<NTProofStr>:<blob>`):
        # cracked offline like a hash; the user and the domain are ours
        Rule("netntlm response",
             r"(?<![\w.$:-])(?P<u>[\w.$-]{1,64})::(?P<d>[\w.-]{1,64})?:(?P<s>[0-9a-fA-F]{16,}(?::[0-9a-fA-F]{16,}){1,2})"
             r"(?![0-9a-zA-Z:])",
             0.95, (("u", USERNAME), ("d", AD_DOMAIN), ("s", SECRET)), triggers=("::",), engine="regex"),
        # a BitLocker recovery password (`manage-bde -protectors -get`, Entra ID's device record): eight groups of
        # six digits; it unlocks the disk of one of our machines
        Rule("bitlocker recovery password", r"(?<![\d-])\d{6}(?:-\d{6}){7}(?![\d-])", 0.95),
        Rule("url credentials",
             r"(?i)\b[a-z][a-z0-9+.-]{1,15}://(?P<u>[^\s:/@\"'<>]{1,64}):(?P<s>[^\s@/\"'<>]{1,128})@",
             0.95, (("u", USERNAME), ("s", SECRET)), triggers=('://',), engine="regex"),
    )

    def spans(self, text: str, lower: str | None = None) -> list[Span]:
        """The rules' spans, and the values of a Kubernetes Secret's data."""
        out = super().spans(text, lower)
        if "Secret" in text and _K8S_SECRET.search(text):
            for block, item in ((_K8S_DATA_BLOCK, _K8S_DATA_ITEM), (_K8S_JSON_DATA, _K8S_JSON_ITEM)):
                for m in block.finditer(text):
                    for v in item.finditer(text, m.start("body"), m.end("body")):
                        if v.group("v").lower() not in _PLACEHOLDERS:   # (our own `[SECRET]`, when verifying)
                            out.append((SECRET, v.start("v"), v.end("v"), 0.95, "kubernetes secret data"))
        return out

    def check(self, cand: Candidate) -> float | None:
        value = cand.value.strip()
        low = value.lower()
        if low in _PLACEHOLDERS or low.strip("()") in _PLACEHOLDERS or set(value) <= set("*x•#.-_<>[]") \
                or low.startswith(("[redact", "<redact")):   # also mimikatz's `Password : (null)`
            return None
        if not any(c.isalnum() for c in value) or value[0] in "“‘«":
            return None  # `\\`, `“password”`: punctuation or a quoted word, not a secret
        name = cand.rule.name
        if name == "jwt" and not _jwt_ok(value):
            return None
        if name == "cookie value" and cand.match.group("name").lower() in _COOKIE_ATTRIBUTES:
            return None   # `Max-Age=31536000`, `Domain=.halvorsen-bank.com`: the cookie's attributes
        if name == "credential assignment":
            keyword = cand.match.group(0).split("=")[0].split(":")[0].lower()
            generic = any(w in keyword for w in ("token", "credential", "secret")) and "pass" not in keyword
            if generic and (len(value) < 12 or entropy(value) < 3.0):
                return None  # "token: expired", "secret: none"
            if value.startswith(("$", "%", "{{")) or low in ("required", "reset", "expired", "changed"):
                return None
            if keyword.strip("\"' \t") == "pwd" and re.fullmatch(r"[/~][\w.~/-]*", value):
                return None   # sudo's and env's `PWD=/home/jdoe`: the working directory (its user is found as such)
            if re.fullmatch(r"[A-Z][A-Za-z]+-[A-Z][A-Za-z]+", value):
                return None  # a cmdlet: `$password = ConvertTo-SecureString '…'` (that rule takes the string)
        if name == "aws secret access key (prose)" and not (
                re.search(r"[a-z]", value) and re.search(r"[A-Z]", value) and re.search(r"\d", value)):
            return None   # a SHA-1 (hex, one case) or a word run, not AWS's mixed-case base64
        if name in ("password in prose (bare)", "password in prose (bare, after with)") and not _looks_like_password(value):
            return None   # `password was reset`, `password is 12 characters`, `password was compromised`
        if name == "password flag" and cand.match.group("glued"):
            if value.isdigit() or low in ("p",) or re.match(r"[A-Za-z_$][\w$]*\(", value):
                return None   # not JavaScript's `-parseInt("3kMmBxS")` (a call: `-p` + `arseInt(`)
        if name == "database client password":
            client, switch = cand.match.group(0).lower(), cand.match.group("switch")
            if (switch.startswith("-P") and not client.startswith("sqlcmd")) or \
                    (switch.startswith("-a") and not client.startswith("redis-cli")):
                return None   # mysql's `-P 3306` is a port
        if name == "user:password@target":
            password = cand.match.group("s")
            if cand.match.group("u").lower() in _URI_SCHEMES:
                return None   # `mailto:policy-resources@sans.org`: a link to an address (the address rules)
            if cand.match.group("u").isdigit():
                return None   # a time before a CSV's next cell: `07:01,invoice@evil-mail.ru` (a message trace)
            if _AWS_UNIQUE_ID.fullmatch(cand.match.group("u")):
                return None   # CloudTrail's principalId `AROA…:lena.fischer@…`: a role's ID and its session's name
            if not _looks_like_password(password) or _PSEUDONYM.fullmatch(password) or value.isdigit() or \
                    in_blob(cand.match.string, cand.match.start(), cand.match.end()):
                return None   # `a:b@c` in prose, `Re:meeting@noon`; `x:USER-7@HOST-3` (our own output)
        if name == "secretsdump line":
            if low in _EMPTY_HASHES:
                return None   # the LM and NT hashes of no password: say nothing of ours
            if cand.entity == USERNAME and (int(cand.match.group("rid")) < 1000 or value.endswith("$")):
                return None   # `krbtgt:502`, `Guest:501`: built in; `FINWS42$`: a machine (the host rules)
        if name == "crypt hash" and in_blob(cand.match.string, cand.match.start(), cand.match.end()):
            return None   # `$5$W…` inside an encoded payload quoted in a report
        if name in ("device config secret", "netrc machine", "pgpass line"):
            secret = cand.match.group("s")
            if is_english_word(secret.lower()) or _PSEUDONYM.fullmatch(secret) or secret.lower() in _PLACEHOLDERS:
                return None   # prose at a line's start (`username john password was …`); our own output, verified
        if name == "user and password switches" and cand.entity == SECRET and is_english_word(low):
            return None   # `mysql -u dbadmin -p` then prose: `-p and …`
        if cand.entity == USERNAME and (low in ("", "git", "anonymous") or is_builtin(low)
                                        or _PSEUDONYM.fullmatch(value)):
            return None
        if cand.entity == AD_DOMAIN and low in WELL_KNOWN_DOMAINS:
            return None   # `Administrator::WORKGROUP:…`
        return cand.score
