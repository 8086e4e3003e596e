import pytest

from recognizers.hostnames import DomainRecognizer, HostnameRecognizer

from .helpers import values

DOM = DomainRecognizer(("acme-bank.com",))
HOST = HostnameRecognizer((r"(?i)\bfin-(?:ws|srv)-\d{3,5}\b",))


@pytest.mark.parametrize("text, expected", [
    ("from fs01.acme-bank.com", {"fs01.acme-bank.com"}),
    ("dc01.corp.local ok", {"dc01.corp.local"}),
    ("ip-10-0-3-17.ec2.internal", {"ip-10-0-3-17.ec2.internal"}),
    ("C2 evil-cdn[.]net and update.microsoft.com", {"evil-cdn[.]net", "update.microsoft.com"}),
    ("acme-bank.com itself", {"acme-bank.com"}),
    # names are not only ASCII: every label whole, whatever its script
    ("to müller-pc.acme-bank.com over SMB", {"müller-pc.acme-bank.com"}),
    ("beacon from IŞIK-SRV-01.corp.local", {"IŞIK-SRV-01.corp.local"}),
    ("hosts ws-éric-01.corp.local, pc-øst.corp.local.", {"ws-éric-01.corp.local", "pc-øst.corp.local"}),
    ("C2 müller-update[.]com and bаnk-secure.com", {"müller-update[.]com", "bаnk-secure.com"}),  # Cyrillic а
    ("to mu\u0308ller-pc.acme-bank.com (NFD)", {"mu\u0308ller-pc.acme-bank.com"}),   # decomposed ü
    # Windows' DNS debug log writes names in wire format
    ("UDP Rcv 10.20.5.77 a1b2 Q [0001 D NOERROR] A (7)finws42(9)acme-bank(3)com(0)",
     {"(7)finws42(9)acme-bank(3)com(0)"}),
    ("R Q [8081 DR NOERROR] A (8)evil-cdn(3)com(0)", {"(8)evil-cdn(3)com(0)"}),
    # after a URL-encoded separator: the name, not the separator's hex digits
    ("u=https%3A%2F%2Fintranet.hb.local%2Fhr and login_hint=m.berg%40acme-bank.com", {"intranet.hb.local", "acme-bank.com"}),
])
def test_domain_hits(text, expected):
    assert values(DOM, text) == expected


@pytest.mark.parametrize("text", ["ran svchost.exe and config.json", "os.path.join(a)",
                                  "setup.py install", "report.pdf attached", "v1.2.3",
                                  "ran größe.exe and données.json", "dns _ldap._tcp.dc", "v1.2.3-é",
                                  # wire format: one label, no end, inside a word, not a suffix
                                  "(5)local(0)", "(7)finws42(2)hb", "f(7)finws42(3)com(0)", "(3)abc(3)xyzq(0)",
                                  # an AV detection name: platform/family.variant (`.ad` is also our suffix)
                                  "not signed|Win64/Turla.AD", "Trojan:Win32/Emotet.AB!MTB", "MSIL/Agent.corp",
                                  # ... Kaspersky's dotted one, whose variant may be a TLD or name a CVE
                                  "Trojan-Spy.Win32.Zbot.ad", "Backdoor.Win32.Agent.dc", "Net-Worm.Win32.Kido.ih",
                                  "HEUR:Exploit.Java.CVE-2012-1723.gen", "Exploit.Java.CVE-2012-1723.ad"])
def test_domain_near_misses(text):
    assert values(DOM, text) == set()


@pytest.mark.parametrize("text, expected", [
    ("host fs01 was", {"fs01"}),
    ("Computer: FIN-WS-0231", {"FIN-WS-0231"}),
    ("ComputerName=JMP-02 ", {"JMP-02"}),
    (r"copied to \\fileserver\share", {"fileserver"}),
    ("lateral to DC01 via SMB", {"DC01"}),
    ("fin-srv-0042 down", {"fin-srv-0042"}),
    ("node ip-10-0-3-17 restarted", {"ip-10-0-3-17"}),
    ("host=BJÖRK-LT-7 src_ip=10.1.2.3", {"BJÖRK-LT-7"}),
    ("workstation ÅSE-PC04 was hit", {"ÅSE-PC04"}),
    (r"copied to \\FÅSRV01\share", {"FÅSRV01"}),
    ("Login on WKS-0231 at 10:02", {"WKS-0231"}),   # numbered fleets, no context word
    ("from lt-10442 and PC0815", {"lt-10442", "PC0815"}),
    ('<Data Name="WorkstationName">FIN-LT-0042</Data>', {"FIN-LT-0042"}),   # Windows event XML
    ("<Computer>HR-PC-17</Computer>", {"HR-PC-17"}),
    # the host field of a syslog line, whatever its shape
    ("Mar  2 11:22:33 bastion01 sshd[2231]: Accepted publickey", {"bastion01"}),
    ("Mar 12 01:02:03 vault kernel: oops", {"vault"}),
    ("2024-03-02T11:22:33.120+01:00 Øvre-gw01 systemd[1]: Started", {"Øvre-gw01"}),
    ("<134>Mar 12 01:02:03 ridgegw sshd[1]: x\n<134>1 2026-11-12T22:41:07.003Z ridgefw sshd 123 - - Accepted",
     {"ridgegw", "ridgefw"}),   # with the priority; RFC 5424
    ("Nov 12 22:41:07 panedge 1,2026/11/12 22:41:07,015701000012345,GLOBALPROTECT,0,2562",
     {"panedge"}),   # a PAN-OS record
    ("Nov 12 22:41:07 edgepa CEF:0|Palo Alto Networks|PAN-OS|10.1|", {"edgepa"}),
    # JSON objects and dotted field names (ECS and friends)
    ('{"host": {"name": "fin-lt-0042", "os": {"name": "Windows"}}}', {"fin-lt-0042"}),
    ('{"host.name":"vault","device":{"hostname":"WKS-OPS-7"}}', {"vault", "WKS-OPS-7"}),
    # the remote machine of a command line, whatever its shape; an Azure resource ID's VM
    ("mstsc /v:FIN-SRV-01 then mstsc.exe /v:hbfin", {"FIN-SRV-01", "hbfin"}),
    ('wmic /node:"hrpc17" process list; nltest /server:DC01', {"hrpc17", "DC01"}),
    ("Get-ADUser -Server dcprod -Filter *; Invoke-Command -cn finapp -ScriptBlock {}", {"dcprod", "finapp"}),
    # ipconfig /all and systeminfo
    ("   Host Name . . . . . . . . . . . . : FINLT0042\n", {"FINLT0042"}),
    ("Host Name:                 finance\nOS Name:   Microsoft Windows 11", {"finance"}),
    # site-role-number names without a context word; a list after a label
    ("Beacon from FIN-LT-0042 to HR-PC-17 and NYC-SRV-DB01", {"FIN-LT-0042", "HR-PC-17", "NYC-SRV-DB01"}),
    ("Compromised hosts: FIN-LT-0042, payroll01 and dc02.\nServers: WEB01; vault-2 (offline)",
     {"FIN-LT-0042", "payroll01", "dc02", "WEB01", "vault-2"}),
    ("/subscriptions/8f2a1c3e-4b5d-4e6f-9a0b-1c2d3e4f5a6b/resourceGroups/rg-fin/providers/"
     "Microsoft.Compute/virtualMachines/vm-fin-app01/extensions/x", {"vm-fin-app01"}),
    ("Compromised hosts: [fin-ws-042, dc02]", {"fin-ws-042", "dc02"}),
    ("Compromised hosts: ledger7 and payroll01.", {"ledger7", "payroll01"}),
    # a machine beside its private address
    ("FINWS042 (10.14.37.48) used by mberg; 192.168.1.7 (FIN-LT-0042); DC01 ( 10.0.0.5 )", {"FINWS042", "FIN-LT-0042", "DC01"}),
    # a machine, then what was done to it
    ('{"text":"FINWS042 is isolated"}; FIN-SQL-01 is beaconing; WEB-PROD-3 has been rebuilt', {"FINWS042", "FIN-SQL-01", "WEB-PROD-3"}),
    # a Cisco device's syslog line; a ServiceNow ticket's configuration item
    ("May 13 09:12:44 hb-asa01 %ASA-6-722051: Group <VPN> User <mberg> IP <185.174.187.29>", {"hb-asa01"}),
    ("Configuration item: FINSQL01\ncmdb_ci=osl-db-07", {"FINSQL01", "osl-db-07"}),
    ("INC0012345 opened by x; CI: fje-sap-prd01; assignment group: FJE-SOC", {"fje-sap-prd01"}),
    # a GCP audit log's Compute Engine instance
    ('"resourceName":"projects/hb-prod-ledger/zones/europe-north1-a/instances/hb-web-01"', {"hb-web-01"}),
    ("gcloud compute ssh fje-web-01 --zone x; gcloud compute ssh admin@fje-web-02; gcloud compute instances describe "
     "fje-db-01 --zone y; gcloud compute ssh --help", {"fje-web-01", "fje-web-02", "fje-db-01"}),
    # DHCP servers and firewalls name our machines
    ("dhcpd[1234]: DHCPACK on 10.20.5.77 to 00:50:56:a1:3f:7c (FINWS042) via eth0\n"
     "dhcpd: DHCPREQUEST for 10.20.5.80 from 00:50:56:a1:3f:7d (hr-pc-17) via eth0", {"FINWS042", "hr-pc-17"}),
    ('devname="HB-FW01" devid="FG100F1234567890" srcname="FINWS042" dstname="payroll01"',
     {"HB-FW01", "FINWS042", "payroll01"}),
    # what responders and attackers do to a machine
    ("ok, isolating FINWS42 now; we re-imaged FINSRV03, then they RDP'd into JMPBOX01 and pivoted to payroll01",
     {"FINWS42", "FINSRV03", "JMPBOX01", "payroll01"}),
    ("file server S1234 and host G0016", {"S1234", "G0016"}),   # shaped like ATT&CK software/group IDs, still hosts
    # a device's role, site or function, and number
    ("gateway gw-oslo-01 and router rtr-core-02, switch SW-FIN-3F-12, esx-prod-07, srv-finance-app-01",
     {"gw-oslo-01", "rtr-core-02", "SW-FIN-3F-12", "esx-prod-07", "srv-finance-app-01"}),
    # a database client's server
    ("mysql -h db-prod-02 -u app_ro; psql --host=pgfin01 -U x; sqlcmd -S FINSQL01 -U sa; redis-cli -h cache-01",
     {"db-prod-02", "pgfin01", "FINSQL01", "cache-01"}),
    ("LEEF:2.0|Microsoft|Windows|10|4624|\tidentHostName=FINWS042\tsrc=10.14.37.48", {"FINWS042"}),
    # the hosts a sentence goes on to after an action, a path of lateral movement
    ("The attacker pivoted from FINWS042 to FINSQL01 and then to WEB-PROD-3; we rebuilt OSLDC01 and BRGFS02.",
     {"FINWS042", "FINSQL01", "WEB-PROD-3", "OSLDC01", "BRGFS02"}),
    ("| 22:10 | RDP from FJE-LT-0231 to FJE-SQL02 as FJE\\svc_backup; RDP from Russia to the DC |",
     {"FJE-LT-0231", "FJE-SQL02"}),
    ("Lateral movement: FINWS042 -> FINSQL01 (RDP), FINSQL01 --> BACKUP01 => vdi-pool-17 (SMB)",
     {"FINWS042", "FINSQL01", "BACKUP01", "vdi-pool-17"}),
    # a Windows tool's remote machine; KQL's comparison
    ('schtasks /query /s FINSQL01 /u x; taskkill /S fin-app01 /pid 1; wevtutil qe Security /r:"DC02" /c:5',
     {"FINSQL01", "fin-app01", "DC02"}),
    ('DeviceProcessEvents | where DeviceName == "finws042"', {"finws042"}),
    # a phone's or laptop's name holds its owner's first name (an IdP's or MDM's device field)
    ("mfa=push device=iPhone-Anders; Anders's iPhone enrolled; Ingrid’s iPad; Galaxy-S23-Ingrid; Bjørns-MacBook-Pro",
     {"iPhone-Anders", "Anders's iPhone", "Ingrid’s iPad", "Galaxy-S23-Ingrid", "Bjørns-MacBook-Pro"}),
])
def test_hostname_hits(text, expected):
    assert values(HOST, text) == expected


@pytest.mark.parametrize("text", ["Windows Server 2019", "SQL2019 instance", "the host was down",
                                  "host is EDR-protected", r"\\?\C:\x", "TLP and C2 and T1059",
                                  r"HKLM\\SOFTWARE\\Microsoft", r'"Global\\FwtSqmSession"', r"\\server\share",
                                  "the host was überlastet", "host is Größe-bewusst",
                                  "on SRV-2019 and WKS2022 images", "PC-1998 era", "WS-2016 builds",
                                  "Mar  2 11:22:33 localhost sshd[1]: x", "at Mar  2 11:22:33 the host rebooted: x",
                                  "<Computer>-</Computer>", '{"agent": {"name": "elastic-agent"}}',
                                  '{"host": {"name": "localhost"}, "file": {"name": "invoice.zip"}}',
                                  # cmd's delayed expansion, robocopy's retries, a word, a URL path
                                  'cmd.exe /v:on /c "set x=1"', "mstsc /v:localhost", "robocopy a b /r:3 /w:5",
                                  "Get-Item -Server Default", "see https://x.example/v:abc01",
                                  "wmic.exe /node:hostname /user:x", r"\\hostname\admin$", "-ComputerName servername",
                                  "dig -server-side x",
                                  # advisories, actors, cipher suites, standards; lists of words
                                  "APT-C-36, INC-2024-031, CVE-2024-1234, DEV-0537, STORM-0558, TA14-353A, MS17-010",
                                  "AES-GCM-256, ECDHE-RSA-AES128-GCM-SHA256, ISO-IEC-27001, TLP-AMBER-01, MS-ISAC-2024",
                                  "Affected systems: Windows, Linux and macOS.", "Hosts: 3 servers and 2 workstations",
                                  # DHCP without a client name, a name that is a domain; not a DHCP line
                                  "DHCPACK on 10.20.5.77 to 00:50:56:a1:3f:7c via eth0",
                                  'dstname="evil-cdn.com" srcname="10.20.5.77"',
                                  "MAC 00:50:56:a1:3f:7c (Windows) seen",
                                  # after an action: a product, cipher, period or indicator, not a machine
                                  "moved to S3", "pivoted to EC2", "isolated AES256 keys", "logged on to Windows10",
                                  "moved to Q3", "moved to T1021.001", "isolated CVE-2024-1234", "moved to TLS13",
                                  "quarantined 3 files", "isolated the host", "wiped MBR", "moved to KB5034441",
                                  "rebuilt it and BASE64 then to PKCS12", "T1059 -> T1021 -> TA0008",
                                  "APT28 -> APT29 overlap; x86 -> x64; BASE64 -> AES256; stage1 -> stage2; Stage-1 -> Stage-2; Day-1 => Day-2",
                                  # a CVE or an ATT&CK ID after a host word is the indicator
                                  "the server CVE-2023-4966 (Citrix Bleed)", "host T1059.001", "server T1021",
                                  # the Windows object namespace in a C string (`L"\\\\BaseNamedObjects\\\\…"`)
                                  'swprintf(&s, L"\\\\BaseNamedObjects\\\\%S", x); L"\\\\SystemRoot\\\\$NtUninstall$"',
                                  # inside an encoded payload quoted in a report
                                  '>|OiwPed%$BtfdK<l,2|Jv{P)d@)|b3XM62haQJQQD0L5RqsPVhY7hIrW~?".0:F9[)V@A^9CY?p1m3tCsi'
                                  '+|0N^*+[kFShKQE~cN[mUHO^M;T<B$Yr@5Xjzyu_6OcR%#u^#z(Wj|,Lt9|pq&j@oTj!%DX)"ZwG8',
                                  # a YARA hex string (`DC` is a byte), virtual shares no one's machine
                                  "{ 3E 37 D3 C3 DC F0 F7 }",
                                  # a hex dump's groups
                                  "00001a0: 8111 e1f2 5092 dc54 49b2 622b", "0c3b d50c dc80 76ec c1ba",
                                  "0000350: dc80 76ec",
                                  "mysql -H -e 'x'; the mysql server; -h help", "mysql -h localhost", "schtasks /create /sc daily /st 09:00; systeminfo /s /?", "region ap-south-1 and ap-southeast-2",
                                  "Stage2 (185.174.187.29)", "Gateway (10.0.0.1)", "Windows10 (10.0.0.5)", "APT28 (10.0.0.5)",
                                  "version 2 (10.0.0.5)", "x (10.0.0.300)", "185.174.187.29 (C2-01)",
                                  "APT28 was compromised", "Windows10 was reimaged", "T1059 is contained", "Stage2 was encrypted",
                                  "AES256 was compromised", "mberg was compromised", "Server2019 is offline",
                                  "Configuration item: SAP ERP", "the configuration item was updated",
                                  "the CI job-42 ran; ci: build-7; CI passed on build 12",   # continuous integration
                                  "May 13 09:12:44 %ASA-6-722051: Group <VPN>",
                                  "Mar 12 01:02:03 blocked 1,024 requests; <134>1 2026-11-12T22:41:07Z ok",
                                  # an instance template or group, not an instance; a path that is no resource name
                                  "projects/hb-prod-ledger/global/instanceTemplates/web-tpl",
                                  "projects/hb-prod-ledger/zones/europe-north1-a/instanceGroups/web-ig",
                                  "docs/projects/x/zones/instances/",
                                  r"copied to \\VBOXSVR\share and \\tsclient\c\x.exe",
                                  # a device's model or a word, no one's name
                                  "device=iPhone-Work; the iPhone was lost; MacBook-Pro; Pixel-Test; Galaxy-S23"])
def test_hostname_near_misses(text):
    assert values(HOST, text) == set()
