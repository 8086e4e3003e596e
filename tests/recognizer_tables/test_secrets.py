import pytest

from recognizers.secrets import SecretRecognizer

from .helpers import values

SEC = SecretRecognizer()
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ."
       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")


@pytest.mark.parametrize("text, expected", [
    ('password="Summer2024!"', {"Summer2024!"}),
    ("pwd: Tr0ub4dor&3 until", {"Tr0ub4dor&3"}),
    ("db?user=a&password=s3cr3t&x=1", {"s3cr3t"}),
    ("the password was 'Winter2023!Hb'", {"Winter2023!Hb"}),
    ("mysql -u root -pS3cretPass db", {"S3cretPass"}),
    ("sshpass -p hunter22 ssh x", {"hunter22"}),
    (r"net use \\fs01\c$ /user:CORP\adm P@ssw0rd!", {"P@ssw0rd!"}),
    ("Authorization: Bearer abcdef0123456789abcdef", {"abcdef0123456789abcdef"}),
    ("token xoxb-2231847756-5519023347-vQ8pLmN3zR7tK2wX9yB4cF6h", {"xoxb-2231847756-5519023347-vQ8pLmN3zR7tK2wX9yB4cF6h"}),
    ("ghp_R7xT2kLm9Qw4Zp8Vn3Ys6Bc1Df5Gh0Jk2LmN", {"ghp_R7xT2kLm9Qw4Zp8Vn3Ys6Bc1Df5Gh0Jk2LmN"}),
    ("glpat-abcdefghij0123456789", {"glpat-abcdefghij0123456789"}),
    ("key AIzaSyA1234567890abcdefghijklmnopqrstuv", {"AIzaSyA1234567890abcdefghijklmnopqrstuv"}),
    ("aws_secret_access_key = q8Vx2Lr9Tz+Kp4Wm7Nc1Yb6Hd3Sf0Gj5Ae8Ru2Io", {"q8Vx2Lr9Tz+Kp4Wm7Nc1Yb6Hd3Sf0Gj5Ae8Ru2Io"}),
    (f"cookie {JWT}", {JWT}),
    ("postgres://app:Pa55word@db01:5432/x", {"app", "Pa55word"}),
    # vendors' keys; a storage connection string; a signed URL; an API key header; cookies
    ("SendGrid SG.aBcDeFgHiJkLmNoPqRsTuV.wXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ012, OpenAI "
     "sk-proj-aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789aBcD",
     {"SG.aBcDeFgHiJkLmNoPqRsTuV.wXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ012",
      "sk-proj-aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789aBcD"}),
    ("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=Zm9vYmFyYmF6cXV4Zm9vYmFy+/MTIzNA==;EndpointSuffix=core",
     {"Zm9vYmFyYmF6cXV4Zm9vYmFy+/MTIzNA=="}),
    ("Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=aBcDeFgHiJkLmNoPqRs=",
     {"aBcDeFgHiJkLmNoPqRs="}),
    ("https://x.blob.core.windows.net/a.zip?sv=2022-11-02&sp=r&sig=aBcDeFgHiJkLmNoPqRsTuV%2BabcdE%3D&x=1",
     {"aBcDeFgHiJkLmNoPqRsTuV%2BabcdE%3D"}),
    ("https://b.s3.amazonaws.com/k?X-Amz-Signature=0123456789abcdef0123456789abcdef", {"0123456789abcdef0123456789abcdef"}),
    ("GET /api HTTP/1.1\nX-API-Key: 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c\nOcp-Apim-Subscription-Key: 0a1b2c3d4e5f",
     {"3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c", "0a1b2c3d4e5f"}),
    ("Cookie: ESTSAUTH=1.AQcAab12Cd34Ef56; ESTSAUTHPERSISTENT=0.ARoA-xYz0; lang=en-US\n"
     "Set-Cookie: PHPSESSID=9f8e7d6c5b4a3928; path=/; Max-Age=31536000; Domain=.example.org",
     {"1.AQcAab12Cd34Ef56", "0.ARoA-xYz0", "9f8e7d6c5b4a3928"}),
    ("the stolen ESTSAUTHPERSISTENT=0.ARoAxYz0123 and JSESSIONID=9F8E7D6C5B4A in the proxy log",
     {"0.ARoAxYz0123", "9F8E7D6C5B4A"}),
    # unquoted, in prose
    ("Password for svc_backup is Winter2024!", {"Winter2024!"}),
    ("the password was changed to P@ssw0rd1 yesterday.", {"P@ssw0rd1"}),
    ("the admin password was set to Hb-2024-adm, then", {"Hb-2024-adm"}),
    ("his passphrase is correct-horse-7", {"correct-horse-7"}),
    ("the password was 123456", {"123456"}),
    # environment variables, as `env` and `.env` files print them
    ("DB_PASSWORD=Sup3rS3cret!2024", {"Sup3rS3cret!2024"}),
    ("export GITHUB_TOKEN=abc123def456ghi789", {"abc123def456ghi789"}),
    ("MYSQL_ROOT_PASSWORD: 'r00tPass'", {"r00tPass"}),
    ("export AWS_SECRET_ACCESS_KEY=q8Vx2Lr9Tz+Kp4Wm7Nc1Yb6Hd3Sf0Gj5Ae8Ru2Io", {"q8Vx2Lr9Tz+Kp4Wm7Nc1Yb6Hd3Sf0Gj5Ae8Ru2Io"}),
    # an AWS secret key in prose, or after its key ID
    ("AWS key AKIAIOSFODNN7EXAMPLE with secret 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 was in the repo",
     {"q8Vx2Lr9Tz+Kp4Wm7Nc1Yb6Hd3Sf0Gj5Ae8Ru2Io"}),
    ("creds AKIAIOSFODNN7EXAMPLE:q8Vx2Lr9Tz/Kp4Wm7Nc1Yb6Hd3Sf0Gj5Ae8Ru2Io", {"q8Vx2Lr9Tz/Kp4Wm7Nc1Yb6Hd3Sf0Gj5Ae8Ru2Io"}),
    ("the secret access key was `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`", {"q8Vx2Lr9Tz+Kp4Wm7Nc1Yb6Hd3Sf0Gj5Ae8Ru2Io"}),
    ("POST https://hooks.slack.com/services/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",
     {"T024BE7LD/B01ABCD2EFG/xq8Vx2Lr9TzKp4Wm7Nc1Yb6H"}),
    # command lines: net use (either order), psexec/crackmapexec, curl, impacket, PowerShell
    (r"net use Z: \\fs01\hr Autumn2024! /user:jdoe", {"Autumn2024!"}),
    ('net user backdoor P@ssw0rd123! /add; net user "Help Desk" "Winter 2024" /domain', {"P@ssw0rd123!", "Winter 2024"}),
    ('account "backdoor_admin" created with password P@ssw0rd123!, then using the new password Summer24#',
     {"P@ssw0rd123!", "Summer24#"}),
    ("The attacker set the password to Winter2024! for svc_backup; reset the password for jdoe to Spring2024#.",
     {"Winter2024!", "Spring2024#"}),
    (r"psexec.exe \\FIN-SRV-01 -u CORP\adm -p Winter2024! cmd.exe", {"Winter2024!"}),
    ("crackmapexec smb 10.0.0.0/24 -u users.txt -p Spring2024!", {"Spring2024!"}),
    ("curl -u admin:Passw0rd123 https://10.1.2.3/ && curl --user jdoe:Hunter2Secret x", {"Passw0rd123", "jdoe", "Hunter2Secret"}),
    ("secretsdump.py corp.local/administrator:Passw0rd!@10.1.2.3", {"Passw0rd!"}),
    ("wmiexec.py svc_sql:Sql2024pw@fin-db01", {"svc_sql", "Sql2024pw"}),
    ("$p = ConvertTo-SecureString 'Autumn2024!' -AsPlainText -Force", {"Autumn2024!"}),
    # password hashes of accounts: mimikatz (logonpasswords, lsadump::sam, dcsync), secretsdump
    ("\t * Username : mberg\n\t * NTLM     : 8846f7eaee8fb117ad06bdd830b7586c\n"
     "\t * SHA1     : e8f97fba9104d1ea5047948e6dfb67facd9f5b73\n",
     {"8846f7eaee8fb117ad06bdd830b7586c", "e8f97fba9104d1ea5047948e6dfb67facd9f5b73"}),
    ("User : mberg\n  Hash NTLM: 8846f7eaee8fb117ad06bdd830b7586c\n    ntlm- 0: 5f4dcc3b5aa765d61d8327deb882cf99\n"
     "      aes256_hmac       (4096) : 1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988",
     {"8846f7eaee8fb117ad06bdd830b7586c", "5f4dcc3b5aa765d61d8327deb882cf99",
      "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988"}),
    ("HALVORSEN\\mberg:1106:aad3b435b51404eeaad3b435b51404ee:8846f7eaee8fb117ad06bdd830b7586c:::\n"
     "krbtgt:502:aad3b435b51404eeaad3b435b51404ee:5f4dcc3b5aa765d61d8327deb882cf99:::\n"
     "jhansen:1107:e52cac67419a9a224a3b108f3fa6cb6d:31d6cfe0d16ae931b73c59d7e0c089c0:::",
     {"mberg", "8846f7eaee8fb117ad06bdd830b7586c", "5f4dcc3b5aa765d61d8327deb882cf99", "jhansen",
      "e52cac67419a9a224a3b108f3fa6cb6d"}),
    # a BitLocker recovery password, as manage-bde prints it and as a report quotes it
    ("    Numerical Password:\n      ID: {8D1F2B3C-7A6E-4F10-9C2B-5E4D3A2B1C0D}\n      Password:\n"
     "        462374-077869-541541-160468-696465-330308-590468-029348\n",
     {"462374-077869-541541-160468-696465-330308-590468-029348"}),
    ("BitLocker recovery key for FJE-LT-0231: 123456-234567-345678-456789-567890-678901-789012-890123.",
     {"123456-234567-345678-456789-567890-678901-789012-890123"}),
    # Kerberoast and AS-REP hashes (the account's password, in effect); the user, realm and SPN are the other rules'
    ("$krb5tgs$23$*svc_sql$FJELLHEIM.LOCAL$MSSQLSvc/fje-sql02.fjellheim.local:1433*$a1b2c3d4e5f60718293a4b5c6d7e8f90"
     "$1f2e3d4c5b6a79881f2e3d4c5b6a7988aabbccdd\n"
     "$krb5asrep$23$jdoe@FJELLHEIM.LOCAL:3e156ada591263b8aab0965f5aebd837$007497cb51b6c8116d6407a782ea0e1c5402b17d\n"
     "$krb5tgs$18$svc_web$FJE.LOCAL$*http/web01.fje.local*$0fa1b2c3d4e5f6a7b8c9d0e1$8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b",
     {"a1b2c3d4e5f60718293a4b5c6d7e8f90$1f2e3d4c5b6a79881f2e3d4c5b6a7988aabbccdd",
      "3e156ada591263b8aab0965f5aebd837$007497cb51b6c8116d6407a782ea0e1c5402b17d",
      "0fa1b2c3d4e5f6a7b8c9d0e1$8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b"}),
    # a NetNTLMv2 response as Responder logs it: the user and the domain are ours too
    ("[SMB] NTLMv2-SSP Hash     : mberg::FJE:1122334455667788:5A4B3C2D1E0F5A4B3C2D1E0F5A4B3C2D:0101000000000000C06531",
     {"mberg", "FJE", "1122334455667788:5A4B3C2D1E0F5A4B3C2D1E0F5A4B3C2D:0101000000000000C06531"}),
    ("Administrator::WORKGROUP:1122334455667788:5A4B3C2D1E0F5A4B3C2D1E0F5A4B3C2D:0101000000000000C06531",
     {"1122334455667788:5A4B3C2D1E0F5A4B3C2D1E0F5A4B3C2D:0101000000000000C06531"}),
    # .NET's credential in a script: the password, its user and domain
    ("$c.Credentials = New-Object Net.NetworkCredential('svc_backup','Winter2026!','FJE'); "
     "$d = [System.Net.NetworkCredential]::new(\"ola\", \"Sommer2025\"); New-Object System.Net.NetworkCredential($u, $p)",
     {"svc_backup", "Winter2026!", "FJE", "ola", "Sommer2025"}),
    # a network device's configuration: community, enable secret, a local user's type-7 password, pre-shared keys
    ("snmp-server community F7ell!RO RO\nenable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0\n"
     "username netadmin privilege 15 password 7 0822455D0A16544541\ncrypto isakmp key Fjellheim2026! address 0.0.0.0\n"
     " tunnel-group 1.2.3.4 ipsec-attributes\n  ikev1 pre-shared-key S3cr3tPSK!\ntacacs-server key 7 045802150C2E",
     {"F7ell!RO", "$1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "netadmin", "0822455D0A16544541", "Fjellheim2026!", "S3cr3tPSK!",
      "045802150C2E"}),
    # Unix password hashes, with their accounts on shadow and htpasswd lines (a built-in account's name stays)
    ("ohaugen:$6$rounds=5000$saltsalt$WkX0z1B8rG3r0yV3m0f7o0bqkK9x:19000:0:99999:7:::\n"
     "svc_web:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/\nroot:$y$j9T$abcdefghijklmnop$QRSTUVWXYZ0123456789:19000::::::\n"
     "the hash was $2y$10$abcdefghijklmnopqrstuuAbCdEfGhIjKlMnOpQrStUvWxYz01234",
     {"ohaugen", "$6$rounds=5000$saltsalt$WkX0z1B8rG3r0yV3m0f7o0bqkK9x", "svc_web", "$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/",
      "$y$j9T$abcdefghijklmnop$QRSTUVWXYZ0123456789", "$2y$10$abcdefghijklmnopqrstuuAbCdEfGhIjKlMnOpQrStUvWxYz01234"}),
    # a .pgpass line, a .netrc machine, a Wi-Fi key and a pre-shared key after their words
    ("PSK: 9f8e7d6c5b4a", {"9f8e7d6c5b4a"}),   # (its own word, no `key` beside it)
    ("db01.fjellheim.local:5432:*:payroll:Sup3rS3cret!\nmachine ftp.fjellheim.local login ohaugen password Vinter2025\n"
     "WPA2 key: Fjellheim2026!; PSK: 9f8e7d6c5b4a", {"payroll", "Sup3rS3cret!", "ohaugen", "Vinter2025", "Fjellheim2026!",
                                                     "9f8e7d6c5b4a"}),
])
def test_secret_hits(text, expected):
    assert values(SEC, text) == expected


@pytest.mark.parametrize("text, expected", [
    ('sqlcmd -S FINSQL01 -U sa -P Passw0rd! -Q "select 1"', {"Passw0rd!"}),
    ("mysql -h db01 -P 3306 -u app --password=S3cr3t!", {"S3cr3t!"}),   # mysql's `-P` is the port
    ('redis-cli -h cache01 -a "Red1s pass" ping; mongosh --password M0ngo!', {"Red1s pass", "M0ngo!"}),
    ("mysql -a 1 and psql -a -P pager=off", set()),
    # a Windows tool's remote password; a bare `/p` prompts for it
    ('schtasks /query /s h /u x /p Winter2024!\ntasklist /S h /U x /P "Winter 2024"; wevtutil qe S /r:h /p:W1nt3r!',
     {"Winter2024!", "Winter 2024", "W1nt3r!"}),
    ("taskkill /s h /u x /p /pid 4412; schtasks /create /tn x /tr y.exe", set()),
    ("Zoom Meeting ID: 912 3456 7890, Passcode: 482913", {"482913"}),   # a meeting's passcode
])
def test_database_client_passwords(text, expected):
    assert values(SEC, text) == expected


def test_a_kubernetes_secrets_data():
    """Every value of a Secret's `data:`/`stringData:` (YAML or JSON), whatever its key; not a ConfigMap's."""
    yaml_secret = ("apiVersion: v1\ndata:\n  tls.key: LS0tLS1CRUdJTiBQUklWQVRF\n  username: cGF5cm9sbA==\n"
                   "kind: Secret\nstringData:\n  api: 'sk_live_x1y2'\n")
    assert values(SEC, yaml_secret) == {"LS0tLS1CRUdJTiBQUklWQVRF", "cGF5cm9sbA==", "sk_live_x1y2"}
    json_secret = '{"apiVersion": "v1", "data": {"password": "U3VwM3JTM2NyZXQh", "user": "cGF5cm9sbA=="}, "kind": "Secret"}'
    assert values(SEC, json_secret) == {"U3VwM3JTM2NyZXQh", "cGF5cm9sbA=="}
    assert values(SEC, "apiVersion: v1\ndata:\n  replicas: '3'\n  mode: fast\nkind: ConfigMap\n") == set()
    assert values(SEC, "data:\n  tls.key: [SECRET]\nkind: Secret\n") == set()   # our own output, verified


def test_private_key_block():
    block = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"
    assert values(SEC, f"found:\n{block}\nend") == {block}


@pytest.mark.parametrize("text", [
    "sha256: 3c1475ab3a1de4a0ab30bc2e1dbf1e5dcb0b1d9a3c8e8e6f04b6f0e1f4a1c2d3",   # hash, not a key
    "mkdir -p /tmp/x", "password policy requires 12 chars", "password: [REDACTED]",
    "password=********", "token: expired", "eyJub3QiOiJqd3QifQ.eyJhIjoxfQ.abcdefghij",  # not a JWT header
    "secret: none", "password reset link",
    "password was reset at 10:02", "password is 12 characters long", "password was compromised",
    "password was last changed 2024-01-03", "the password is required", "password was sprayed against 1,200 accounts",
    "password policy was v2.10.3", "the password was weak (Summer is not a password here)",
    # settings about secrets, not secrets; a SHA-1 or a word run where an AWS secret key would be
    "PASSWORD_MIN_LENGTH=12", "MAX_TOKENS=4096", "TOKEN_EXPIRY=3600", "PASSWORD_FILE=/run/secrets/db",
    "DB_PASSWORD=$DB_PASSWORD", "AKIAIOSFODNN7EXAMPLE sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "the secret key sha1 DA39A3EE5E6B4B0D3255BFEF95601890AFD80709", "the secret is out",
    "secret ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN",
    "* Password : (null)",                                  # mimikatz: no password
    "net_pass=\nnet_user=%s\n", "password:\n  (see vault)",    # an empty value: not the next line
    # a program after runas's /user:, a prompt (`*`, bare `-p`), a cmdlet, times and ratios, git remotes
    r"runas /user:CORP\adm_jdoe cmd.exe", r"net use \\fs01\x * /user:a /persistent:no",
    "net user mberg /domain", "net user backdoor * /add", "net user", "changed the password to the domain admin",
    "reset the password to expire", "login with password spraying", "with password reset", "using a password manager",
    "Save the recovered password list to HTML/XML/Text/CSV file",
    "2024-05-13 07:01,invoice@evil-mail.ru,maria.berg@halvorsen-bank.com,Overdue invoice",   # a message trace's time
    'Set-Mailbox -Identity x -ForwardingSmtpAddress smtp:jonas.h@protonmail.com; proxyAddresses SMTP:jonas.h@x.com',
    "mysql -u dbadmin -p and then", "mysql -u payroll_app -p -h finsql01.hb.local", "$password = Read-Host -AsSecureString",
    "Meeting at 10:30@home, ratio 3:4@x", "git@github.com:org/repo.git", "see a:b@c",
    "blob Zbzq:USER-78593@HOST-280 and ?!Zbzq:xQ9pwd1@k3",   # our own output; inside a random blob
    # a file's hashes (indicators), NTLM as a word, the hashes of no password
    "SHA1: e8f97fba9104d1ea5047948e6dfb67facd9f5b73", "MD5 : 8846f7eaee8fb117ad06bdd830b7586c",
    "NTLM: authentication failed", "LM : none", "FINWS42$:1001:aad3b435b51404eeaad3b435b51404ee:31d6cfe0d16ae931b73c59d7e0c089c0:::",
    'var x = -parseInt("3kMmBxS") / 2 + -parseInt("683150ZjgSKX")',   # obfuscated JavaScript, not `-p<password>`
    # an encoded payload quoted in a report: `a:b@c` there is chance
    '>|OiwPed%$BtfdK<l,2|Jv{P)d@)|b3XM62haQJQQD0L5RqsPVhY7hIrW~?".0:F9[)V@A^9CY?p1m3tCsi+|0N^*+[kFShKQE~cN[mUHO^M;T<B'
    '$Yr@5Xjzyu_6OcR%#u^#z(Wj|,l1OQ?`Y`3&:yP6jr`pq&j@oTj!%DX)"ZwG8uU!xHk$Dl="P8>gi',
    # sudo's and env's working directory
    "sudo:    mberg : TTY=pts/0 ; PWD=/home/mberg ; USER=root ; COMMAND=/usr/bin/id", "PWD=~/src", "pwd: /var/www/html",
    # a link to an address (a DOCX's hyperlink), a SIP address
    # a short word after `sk-`, a cookie's short value, a URL's signature parameter too short, a key header's word
    "pip install sk-learn-extras; scikit-learn", "Cookie: lang=en-US; theme=dark", "?sig=abc&signature=v1",
    "the cookie: ESTSAUTH was stolen", "X-API-Key: missing",
    "mailto:policy-resources@sans.org", "write to <mailto:soc-team@example.org>", "call sip:alice-desk@pbx.example.org",
    # CloudTrail's principalId: a role's unique ID and its session's name (an address), no password
    '"principalId": "AROAQXZ4EXAMPLE7IDXYZ:lena.fischer@nordvik-kraft.no"', '"AIDAJQABLZS4A3QDU576Q:ops.bot@x.io"',
    # groups of six digits that are no recovery password: too few, too many, a longer group
    "ticket 123456-234567-345678-456789-567890-678901-789012", "1234567-234567-345678-456789-567890-678901-789012-890123",
    "123456-234567-345678-456789-567890-678901-789012-890123-901234",
    # `::` of code and IPv6, hex after it: no NetNTLM response; a file's hash after `$` is no ticket
    "Crypto::GetPublicKey std::string::npos fe80::1c2d:3e4f:5a6b:7c8d", "a::b:c0ffee00c0ffee00:zz",
    "$sha256$3f1e9a0b6c2d4e8f7a1b3c5d7e9f0a2b$4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f",
    # prose at a line's start, colon-separated log fields, a time, a bcrypt-like word, our own output verified
    "username john password was reset\nweb01:8080:GET:/index:200\n2024:05:11:10:22\ncost $2 and $6 each",
    "machine x login USER-3 password [SECRET]\nsnmp-server community [SECRET] RO",
    # a crypt-like run inside an encoded payload quoted in a report
    '~cN[mUHO^M;T<B$Yr@5Xjzyu_6OcR%#u^#z(Wj|,l1OQ?`Y`3&:yP6jr`pq&j@oTj!%DX)"ZwG8uU!xHk~$6$abcdefgh$ijklmnopqrstuvwx~?".0:F9[)V',
])
def test_secret_near_misses(text):
    assert values(SEC, text) == set()
