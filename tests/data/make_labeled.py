"""Generate the labelled evaluation set (labeled.jsonl) from incident-report templates.

Each document is a list of lines drawn from templates whose slots carry a type (what must
go) or KEEP (what must stay: indicators and near-miss traps). Deterministic (seeded); the
generated file is committed — rerun only to change the set: python tests/data/make_labeled.py
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

POOLS = {
    "ROSTER": ["Amelia Hartmann", "Rafael Ortega", "Yuki Tanaka", "Oluwaseun Adeyemi"],
    "NAME": ["Jonathan Meyers", "Sarah Connolly", "Michael Brennan", "Laura Becker", "David Kowalski",
             "Emily Novak", "Thomas Keller", "Anna Lindgren", "James Whitfield", "Maria Gonzalez",
             "Peter Andersson", "Claire Dubois", "Robert Fischer", "Hannah Schmidt", "Daniel Moreau"],
    "IP_INT": ["10.20.30.41", "10.20.30.77", "10.4.1.10", "172.16.8.23", "172.20.1.5", "10.99.0.12",
               "192.168.1.44", "10.1.2.3"],
    "HOST_FQDN": ["nyc-ws-0142.contoso-fin.com", "fs02.cf.local", "dc01.cf.local", "sql-prod-03.cf.local",
                  "mail.contoso-fin.com", "vpn.contoso-fin.com", "lon-srv-2210.cf.local"],
    "HOST_SHORT": ["NYC-WS-0142", "LON-SRV-2210", "SGP-LT-0087", "DC02", "FS02", "jmp-01", "web03"],
    "USER": ["jmeyers", "svc_backup", "svc_sqlagent", "adm-rortega", "t.keller", "emily.novak"],
    "ROSTER_USER": ["ahartmann", "rortega", "ytanaka", "oadeyemi"],
    "EMAIL_INT": ["amelia.hartmann@contoso-fin.com", "soc-alerts@contoso-fin.com", "j.whitfield@contoso-fin.com",
                  "it-ops@cf.local"],
    "SID": ["S-1-5-21-1111111111-2222222222-3333333333-1104", "S-1-5-21-4000000001-4000000002-4000000003-2201"],
    "MAC": ["00:1A:2B:3C:4D:5E", "3c:52:82:aa:bb:cc", "F0-1F-AF-12-34-56"],
    "AWS_ACCT": ["123456789012", "210987654321"],
    "AKID": ["AKIAZ7VQX2Q4HBLM3N5P", "AKIAQW2E3R4T5Y6U7I8O"],
    "SECRET_PW": ["Spring2024!", "Tr0ub4dor&3x", "P@ssw0rd-Contoso9", "Winter#2023"],
    "CUST_ID": ["CF-204311-A", "CF-998120-K", "CF-100200-Z"],
    "CUSTOMER": ["Northwind Traders", "Fabrikam Insurance", "Tailspin Toys"],
    "ORG": ["Contoso Financial", "Contoso Financial Group"],
    "PHONE": ["+1 212 555 0147", "+44 20 7946 0321", "+49 30 901820"],
    "ADDOM": ["CONTOSO"],
    # indicators and traps that must stay exactly as written
    "IP_EXT": ["185.220.101.4", "45.153.160.140", "91.92.251.103", "193.233.132.54", "5.188.62.214"],
    "DOMAIN_EXT": ["cdn-update[.]net", "login-contoso-fin[.]com", "akira-support.onion.ly", "kx-delivery.top"],
    "URL_EXT": ["hxxps://cdn-update[.]net/jquery.min.js", "hxxp://91.92.251[.]103/a.exe",
                "https://pastebin.com/raw/xY12abCd"],
    "EMAIL_EXT": ["payroll@hr-portal-secure.com", "bad[@]evil-mailer[.]top"],
    "HASH": ["5f4dcc3b5aa765d61d8327deb882cf99", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
             "3c1475ab3a1de4a0ab30bc2e1dbf1e5dcb0b1d9a3c8e8e6f04b6f0e1f4a1c2d3"],
    "CVE": ["CVE-2023-4966", "CVE-2024-3400", "CVE-2023-20269"],
    "ATTACK": ["T1059.001", "T1003.001", "TA0008", "T1486"],
    "TOOL": ["Cobalt Strike", "Mimikatz", "AnyDesk", "Rclone", "PsExec", "BloodHound", "Sliver"],
    "VERSION": ["version 10.2.3.4", "build 10.0.19041.1", "OID 1.3.6.1.4.1.311"],
    "JARGON": ["TLP:AMBER", "EDR", "C2", "SOC", "SMB", "RDP", "IOC", "UTC"],
    "TIME": ["2024-05-11 04:05:33 UTC", "2024-03-14T09:12:00Z", "09:14 UTC"],
    "FILE": ["invoice.zip", "svchost.exe", "rclone.conf", "update.ps1"],
}
TYPES = {
    "ROSTER": "PERSON", "NAME": "PERSON", "IP_INT": "IP_ADDRESS", "HOST_FQDN": "HOSTNAME",
    "HOST_SHORT": "HOSTNAME", "USER": "USERNAME", "ROSTER_USER": "USERNAME", "EMAIL_INT": "EMAIL_ADDRESS",
    "SID": "WINDOWS_SID", "MAC": "MAC_ADDRESS", "AWS_ACCT": "AWS_ACCOUNT_ID", "AKID": "AWS_ACCESS_KEY_ID",
    "SECRET_PW": "SECRET", "CUST_ID": "CUSTOMER_ID", "CUSTOMER": "CUSTOMER", "ORG": "ORGANIZATION",
    "PHONE": "PHONE_NUMBER", "ADDOM": "AD_DOMAIN",
}
TEMPLATES = [
    "At {TIME} the {JARGON} console flagged {TOOL} on host {HOST_SHORT} ({IP_INT}).",
    "Analyst {NAME} confirmed beaconing from {HOST_FQDN} to {IP_EXT} over HTTPS.",
    "{ROSTER} escalated the case; the {JARGON} lead was {NAME}.",
    "Logon by {ADDOM}\\{USER} from {IP_INT} to {HOST_SHORT} (event 4624, LogonType 10).",
    "TargetUserName={ROSTER_USER} TargetDomainName={ADDOM} IpAddress={IP_INT}",
    "Phishing mail from {EMAIL_EXT} reached {EMAIL_INT}; link {URL_EXT}.",
    "The payload {FILE} (SHA256 {HASH}) exploited {CVE} ({ATTACK}).",
    "Account SID {SID} was added to Domain Admins on {HOST_FQDN}.",
    "NIC {MAC} on {HOST_SHORT} was isolated by the {JARGON}.",
    "In AWS account {AWS_ACCT} the key {AKID} created 40 instances.",
    "The service password was \"{SECRET_PW}\" and was reused on {HOST_SHORT}.",
    "Customer {CUSTOMER} ({CUST_ID}) data was staged on {HOST_FQDN}.",
    "{ORG} notified the regulator; contact {ROSTER} at {PHONE}.",
    "C2 traffic to {DOMAIN_EXT} and {IP_EXT}; the agent reports {VERSION}.",
    "{NAME} ran {TOOL} against {IP_INT} with {ATTACK} techniques.",
    "Regards,\n{NAME}\nIncident Response, {ORG}",
    "From: {ROSTER} <{EMAIL_INT}>",
    "[{TIME}] {NAME}: blocking {IP_EXT} on the firewall now",
    "Files copied to \\\\{HOST_SHORT}\\share by {USER}.",
    "ssh {USER}@{HOST_SHORT} was used to reach {IP_INT}.",
    "C:\\Users\\{ROSTER_USER}\\AppData\\Local\\Temp\\{FILE} was dropped at {TIME}.",
    "Hash {HASH} matched the {TOOL} loader; see {CVE}.",
    "pwd: {SECRET_PW} was found in a script on {HOST_FQDN}.",
    "User {NAME} reported the {JARGON} alert to {ROSTER}.",
    "Exfiltration to {IP_EXT} used {TOOL}; {JARGON} confirmed at {TIME}.",
]
KEEP_POOLS = {"IP_EXT", "DOMAIN_EXT", "URL_EXT", "EMAIL_EXT", "HASH", "CVE", "ATTACK", "TOOL", "VERSION",
              "JARGON", "TIME", "FILE"}


def render(template: str, rng: random.Random) -> tuple[str, list[dict], list[str]]:
    out, spans, keep, pos = [], [], [], 0
    for part in re.split(r"(\{[A-Z_]+\})", template):
        if part.startswith("{") and part.endswith("}"):
            pool = part[1:-1]
            value = rng.choice(POOLS[pool])
            if pool in TYPES:
                spans.append({"start": pos, "end": pos + len(value), "type": TYPES[pool]})
            elif pool in KEEP_POOLS:
                keep.append(value)
            part = value
        out.append(part)
        pos += len(part)
    return "".join(out), spans, keep


def main() -> None:
    rng = random.Random(20261123)
    docs = []
    for n in range(32):
        text, spans, keep = "", [], []
        for template in rng.sample(TEMPLATES, 8):
            line, s, k = render(template, rng)
            spans += [{**x, "start": x["start"] + len(text), "end": x["end"] + len(text)} for x in s]
            keep += k
            text += line + "\n"
        docs.append({"id": f"eval-{n:02d}", "text": text, "spans": spans, "keep": sorted(set(keep))})
    path = Path(__file__).with_name("labeled.jsonl")
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    print(f"wrote {len(docs)} documents, {sum(len(d['spans']) for d in docs)} labelled spans to {path}")


if __name__ == "__main__":
    main()
