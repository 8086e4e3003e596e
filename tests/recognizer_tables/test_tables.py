import pytest

from recognizers.tables import TableColumnRecognizer

from .helpers import hits

TAB = TableColumnRecognizer()
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


@pytest.mark.parametrize("text, expected", [
    ("| Time | Host | User | Action |\n|---|---|---|---|\n| 02:13 | FIN-LT-0042 | mkowalczyk | opened invoice.zip |\n"
     "| 02:15 | hr-pc-17 | bthompson | ran rundll32 |\n\nAfter the table: bthompson2 stays for other rules.",
     {("HOSTNAME", "FIN-LT-0042"), ("USERNAME", "mkowalczyk"), ("HOSTNAME", "hr-pc-17"), ("USERNAME", "bthompson")}),
    # an account's AD domain column (Defender's export): a NetBIOS name; not a built-in one, nor an FQDN
    ("Timestamp,DeviceName,AccountName,AccountDomain,RemoteIP\n1,fje-lt-0231,ohaugen,fjellheim,91.215.85.17\n"
     "2,fje-lt-0231,SYSTEM,NT AUTHORITY,1.2.3.4\n3,fje-lt-0231,x1,fje.local,1.2.3.4\n",
     {("HOSTNAME", "fje-lt-0231"), ("USERNAME", "ohaugen"), ("AD_DOMAIN", "fjellheim"), ("USERNAME", "x1")}),
    ("timestamp,hostname,username,src_ip\n2024-03-02T02:13:00Z,FIN-LT-0042,mkowalczyk,10.2.3.4\n",
     {("HOSTNAME", "FIN-LT-0042"), ("USERNAME", "mkowalczyk")}),
    ('"Time","DeviceName","AccountName"\n"02:13","wks-ops-7","m.rossi"\n', {("HOSTNAME", "wks-ops-7"), ("USERNAME", "m.rossi")}),
    ("Time\tComputer\tTargetUserName\n02:13\tBJÖRK-LT-7\tjürgen.weiß\n", {("HOSTNAME", "BJÖRK-LT-7"), ("USERNAME", "jürgen.weiß")}),
    ("| **Owner** | **Asset** |\n|:--|:--:|\n| Marta Kowalczyk | `FIN-LT-0042` |\n",
     {("PERSON", "Marta Kowalczyk"), ("HOSTNAME", "FIN-LT-0042")}),
    ("| Date | User |\n| --- | --- |\n| 2 Mar | Marta Kowalczyk |\n", {("PERSON", "Marta Kowalczyk")}),
    ("Host | User\n--- | ---\nVAULT | svc_vault\n", {("HOSTNAME", "VAULT"), ("USERNAME", "svc_vault")}),
    # an Entra ID sign-in export: our tenant in every row, far from any context word
    ('"Date (UTC)","User","Home tenant ID","Resource tenant ID","Status"\n'
     '"2024-03-05T09:12:44Z","Maria Berg","6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b","0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","0"\n',
     {("PERSON", "Maria Berg"), ("AZURE_ID", "6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"),
      ("AZURE_ID", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")}),
])
def test_table_column_hits(text, expected):
    assert hits(TAB, text) == expected


@pytest.mark.parametrize("text", [
    f"| Name | SHA256 |\n|---|---|\n| AdFind | {SHA} |\n| Rubeus | {SHA} |\n",   # `Name`: tools and files
    "| Tool | Purpose |\n|---|---|\n| rclone | exfiltration |\n",
    "| Host | User |\n|---|---|\n| - | N/A |\n| 10.1.2.3 | SYSTEM |\n| fin-lt-0042.corp.local | Administrator |\n"
    "| Finance | unknown |\n| Multiple | NT AUTHORITY\\SYSTEM |\n| localhost | root |\n",
    "host,user\nFIN-LT-0042,mkowalczyk,extra\n",                 # a row of another shape ends the table
    "Host: FIN-LT-0042\nUser: mkowalczyk\n",                      # key: value lines are not a table
    "time,host,user\n\n02:13,FIN-LT-0042,mkowalczyk\n",          # a blank line ends it
    "| Host | User |\n|---|---|\n| the mail server | the service account |\n",
    "| Tenant | Subscription |\n|---|---|\n| contoso | Pay-As-You-Go |\n| - | 6f1c2a8e |\n",   # no GUIDs
])
def test_table_column_near_misses(text):
    assert hits(TAB, text) == set()


def test_a_window_of_a_table_is_read_under_the_header_it_continues():
    window = "ops-009,m.rossi\n02:13,FIN-LT-0042,mkowalczyk\n02:14,wks-ops-7,jdoe2\n\nprose after it: hr-pc-17\n"
    found = {(e, window[s:t]) for e, s, t, _, _ in TAB.spans(window, preamble="time,host,user")}
    # not the first, partial line (the previous window's), not past the blank line
    assert found == {("HOSTNAME", "FIN-LT-0042"), ("USERNAME", "mkowalczyk"), ("HOSTNAME", "wks-ops-7"),
                     ("USERNAME", "jdoe2")}
    assert TAB.spans(window, preamble="time,tool,purpose") == []


NET_SESSION = ("C:\\>net session\n"
               "Computer               User name            Client Type       Opens Idle time\n" + "-" * 79 + "\n"
               "\\\\10.14.37.48          mberg                                      2 00:00:12\n"
               "\\\\FINWS043             jhansen                                    0 00:10:02\n"
               "The command completed successfully.\n")
GET_ADUSER = ("PS> Get-ADComputer -Filter * | ft Name,DNSHostName,UserName\n\n"
              "Name     DNSHostName              UserName\n"
              "----     -----------              --------\n"
              "FINWS042 finws042.hb.local        mberg\n"
              "FINWS043 finws043.hb.local        Administrator\n"
              "\nSummary below.\n")


def test_aligned_command_output_is_read_by_its_columns():
    assert hits(TAB, NET_SESSION) == {("HOSTNAME", "FINWS043"), ("USERNAME", "mberg"), ("USERNAME", "jhansen")}
    assert hits(TAB, GET_ADUSER) == {("USERNAME", "mberg")}   # `Name` is no host column; a built-in account stays


def test_name_columns_of_account_listings():
    """`Name` names accounts in Get-LocalUser's output, people beside a directory's account column; a
    listing of services, tasks or firewall rules keeps its names."""
    local = ("PS> Get-LocalUser\nName           Enabled Description\n----           ------- -----------\n"
             "Administrator  False   Built-in account\nmberg          True\nhelpdesk_local True    Local admin\n")
    assert hits(TAB, local) == {("USERNAME", "mberg"), ("USERNAME", "helpdesk_local")}
    ad = "Name,SamAccountName,Enabled\nMaria Berg,mberg,True\nJonas Hansen,jhansen,False\n"
    assert hits(TAB, ad) == {("PERSON", "Maria Berg"), ("USERNAME", "mberg"), ("PERSON", "Jonas Hansen"),
                             ("USERNAME", "jhansen")}
    for listing in ("Name                           DisplayName                 Enabled\n"
                    "----                           -----------                 -------\n"
                    "RemoteDesktop-UserMode-In-TCP  Remote Desktop - User Mode  True\n",
                    "Status   Name               DisplayName\n------   ----               -----------\n"
                    "Running  WinDefend          Microsoft Defender Antivirus Service\n"):
        assert hits(TAB, listing) == set()


def test_aligned_output_near_misses():
    # Markdown's rule under a heading; a row whose value runs across a column's edge; no column of ours
    assert hits(TAB, "User name\n---------\njhansen wrote this\n") == set()
    assert hits(TAB, "Computer   User name\n--------   ---------\nFINWS042-LONG-NAME jhansen\n") == set()
    assert hits(TAB, "Image Name     PID\n============== ====\nsvchost.exe    4412\n") == set()
    assert hits(TAB, "Protocol  Port\n--------  ----\ntcp       443\n") == set()
