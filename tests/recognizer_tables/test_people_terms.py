"""People need the real spaCy model: these run through the shared engine."""
import pytest

from recognizers.people import NameFieldRecognizer, plausible_person
from recognizers.terms import TermsRecognizer

from .helpers import hits, values


def person_values(redactor, text):
    return {text[f.start:f.end] for f in redactor.check_text(text) if f.entity_type == "PERSON"}


@pytest.mark.parametrize("text, name", [
    ("The analyst Jonathan Meyers escalated the case to legal.", "Jonathan Meyers"),
    ("Regards,\nAnna Kowalski\n", "Anna Kowalski"),
    ("From: Karen Blix <karen@evil.example>", "Karen Blix"),
    ("[09:14] Elena Petrova: isolating now", "Elena Petrova"),
    # one name after a possessive and a role, which the small model misses
    ("His manager Sigrid asked us to reset his token.", "Sigrid"),
    ("Ingrid here: my colleague Bjørn saw the same pattern.", "Bjørn"),
    ("The payment was released after our CFO Ingrid approved it.", "Ingrid"),
])
def test_people_hits(bare, text, name):
    assert name in person_values(bare, text)


@pytest.mark.parametrize("text", [
    "Cobalt Strike beacons and Mimikatz were found by CrowdStrike Falcon.",
    "TLP:AMBER. EDR flagged C2 traffic over SMB; the SOC opened an IOC list.",
    "Ransom note dropped by LockBit; Sliver and Brute Ratel were also used.",
    "Summary: Timeline: Impact: none",
    # ipconfig's field labels, which the small model took for a name (`Default Gateway`)
    "   IPv4 Address. . . . . . . . . . . : 10.20.5.77(Preferred)\n"
    "   Default Gateway . . . . . . . . . : 10.20.5.1\n   DHCP Server . . . . . . . . . . . : 10.20.0.10\n",
    # threat actors in the vendors' naming schemes
    "The intrusion is attributed to Scattered Spider (UNC3944, Octo Tempest) with moderate confidence.",
    "Star Blizzard and Mint Sandstorm, Wicked Panda, Charming Kitten and Labyrinth Chollima were ruled out.",
    "Unit 42 tracks the group as Bitter Scorpius; Cloaked Ursa and Muddled Libra were not involved.",
    "A sample of Yort has been spotted with a reedited installer of Flash Player, on the strings.",
    "The dropper opens a decoy in Adobe Acrobat and checks the RSA Blog; APT1 and Storm-0558 were not involved.",
    "The attacker ran wevtutil qe Security /c:5 and wevtutil cl Security to clear the log.",
    "Bitcoin wallet bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh; Tox ID in the ransom note; Session ID and Jabber ID.",
    # a possessive and a role, then no name: a word, jargon, a vendor, a day
    "Our CISO Office was told. His manager Service was down; her boss Monday said no; our CEO Microsoft said it.",
])
def test_people_near_misses(bare, text):
    assert person_values(bare, text) == set()


def test_plausible_person_rules():
    assert plausible_person("Elena Petrova")
    assert not plausible_person("EDR")
    assert not plausible_person("Cobalt Strike")
    assert not plausible_person("user_01")


@pytest.mark.parametrize("text", ["J.R.R. Tolkien", "J. Smith", "Mr. Smith", "St. John", "Nowak, Tomasz",
                                  "Ludwig van Beethoven", "Mary-Jane O'Neil", "Jürgen Weiß", "Tomasz\nNowak",
                                  "O'Neil", "D'Angelo", "John McDonald", "Sean MacArthur", "Leonardo DiCaprio",
                                  "Bashar al-Assad", "Aaron Weeks", "Anne Otto", "Rachel Server-Hughes",
                                  "Marie-claire Dubois"])
def test_plausible_person_keeps_names(text):
    assert plausible_person(text)


# what the small model took for people in the real corpus: headings and code
@pytest.mark.parametrize("text", ["Appendix B", "Mosquito Indicators", "Versions Affected", "OSX Malwares",
                                  "Shapes\n  s.Fill", "Font\n  .NameFarEast", "RunningJob.count\n  Stop-Job",
                                  "Solid\n  s", 'Lib "libc.dylib', "`Invoke Mimi`", "False\n End", "Rich Headers",
                                  "Cloud Build", "REM Delete", "Sample E. Sample",
                                  "U Ć»Čä",    # a hex dump's text column
                                  "Kaspersky Sinkhole", "Trend Micro", "Mandiant Consulting",   # vendors, jargon
                                  "Tue Jun", "Mon Oct", "Wed, Dec",   # a date's words
                                  "我们试图让 ASVS", "模式验证以确保 XML",   # a CJK sentence's words
                                  "BIANLIAN GROUP", "IT Support Team", "Adobe Acrobat", "APT1 Operators",
                                  "China Telecom", "Indian Embassy", "Catherine T. MacArthur Foundation",
                                  "John the Ripper", "Customer Fabrikam Insurance", "Client Northwind", "Angular Sanitization",
                                  # code, and a PDF's words run together or drawn twice (bold)
                                  "DWORD dwMilliseconds", "theOHHDL Systemsand", "NorthropGrummanMay Have",
                                  "SenderPolicy Framework", "Maintenance Network AccessRestrictions",
                                  "GGrreeeenn FFoorr", "Avast c. Harddisk", "c. UFipgd",
                                  # a tool's name (`SoftPerfect Network Scanner`)
                                  "Network Scanner", "Remote Desktop Viewer", "Process Explorer", "Raccoon Stealer",
                                  # a word and a lower-case one hyphened (`other Crypto Pay-related data`)
                                  "Crypto Pay-related", "Kerberos-based Attacks", "Cloud-hosted Runners",
                                  # a standard's techniques and headings (OWASP ASVS)
                                  "Request Forgery", "Verb Tampering", "Formula Injection", "Single Sign-On",
                                  "Unique Identifier", "Hyper Text Transfer Protocol", "Symmetric Key Algorithms",
                                  "Directory Interface", "Cookie Setup", "Reduced Coupling", "Cryptobom Forge Tool",
                                  # ... and old reports' PDFs: tables, code, labs
                                  "Image Size", "Length Info", "Boot Record", "Disassembler Library", "Rivest Cipher",
                                  "Document Format", "Network Centric Warfare", "Citizen Lab", "Kaspersky Lab",
                                  "Dumps Hashes", "Config Operates", "Quick Disk Inspection", "Proxy Proxy-IP",
                                  "Dark Seoul", "Moonlight Maze",   # campaigns
                                  "Dark Reading", "Bleeping Computer"])   # the news
def test_plausible_person_rejects_headings_and_code(text):
    assert not plausible_person(text)


@pytest.mark.parametrize("text, expected", [
    ("Marta Kowalczyk  10:02 AM\nI clicked the link\nPiotr Zieliński  10:05 AM\nisolate it\n",
     {("PERSON", "Marta Kowalczyk"), ("PERSON", "Piotr Zieliński")}),      # Slack and Teams, copied
    ("[10:02 AM] Marta K.: I clicked it", {("PERSON", "Marta K.")}),
    # one name in a copied chat: another speaker's header, and a message under it
    ("Marta  10:02 AM\nWho has access?\n\nPiotr Nowak  10:03 AM\nOnly ops.\nOskar  10:04 AM\nMe.\n",
     {("PERSON", "Marta"), ("PERSON", "Piotr Nowak"), ("PERSON", "Oskar")}),
    ('from @marcus.lee in #ir: "done"; cc @priya.r and @soc-oncall',
     {("USERNAME", "marcus.lee"), ("USERNAME", "priya.r"), ("USERNAME", "soc-oncall")}),
    ("<@U024BE7LD> please check", {("USERNAME", "U024BE7LD")}),
    # a name, then the department or role in brackets (also a first name that is an English word)
    ("Odd Haugen (Finance) opened it; Ola Nordmann (IT ops) and Per Arne Dahl (contractor) saw it; "
     "Cobalt Strike (IT); Security Team (SOC); Business Email Compromise (Finance)",
     {("PERSON", "Odd Haugen"), ("PERSON", "Ola Nordmann"), ("PERSON", "Per Arne Dahl")}),
    # meeting notes' attendees, with their roles or companies
    ("Attendees: Hilde Solberg (CISO), Per Arne Dahl (Dahl Elektro), Jon Eriksen (NSM) and Kari Nordmann.\n"
     "Participants: Security Team, SOC Analysts, Incident Response\nPresent: all",
     {("PERSON", "Hilde Solberg"), ("PERSON", "Per Arne Dahl"), ("PERSON", "Jon Eriksen"), ("PERSON", "Kari Nordmann")}),
    # a person mentioned by name (Teams, Confluence, Jira)
    ("@Hilde Solberg can you confirm the block? cc @Marta Kowalczyk-Nowak",
     {("PERSON", "Hilde Solberg"), ("PERSON", "Marta Kowalczyk-Nowak")}),
])
def test_chat_formats(text, expected):
    assert hits(NameFieldRecognizer(), text) == expected


@pytest.mark.parametrize("text", [
    "@font-face { src: url(x) }", "@pytest.fixture\ndef f(): pass", "    @functools.lru_cache\n", '@app.route("/")',
    "npm i @babel/core", "mail a@b.example", "@media screen", "curl --data-binary @admission-mirror.json -k",
    "the accounts were @monkey_drive and @paolo_3_1415926", "old = @cask.metadata_timestamped_path", "see @vxunderground", "Meeting at 10:02 AM",
    "Status Update  10:02 AM\nall hosts isolated", "Containment Complete 14:30",   # a heading with a time
    # one word with a time: alone, an agenda, a timeline, a tool or a word of the text
    "Marta  10:02 AM\nIs the vault sealed?", "Kickoff  09:30 AM\nStandup  10:00 AM\nLunch  12:00 PM\n",
    "Detection 02:14\nContainment 03:10\nEradication 05:00",
    "Mimikatz  10:05 AM\nran\nWatson  10:06 AM\nran\nHank Moody  10:07 AM\nhi",
    # a team, a product, words: no person's name after `@`
    "@Security Team please review; @Microsoft Defender flagged it; @Channel Owners; @SOC Oncall",
    '{"@odata.type": "#microsoft.graph.user", "@odata.context": "x"}',   # OData's annotations
])
def test_chat_near_misses(text):
    assert hits(NameFieldRecognizer(), text) == set()


def test_quoted_outlook_headers_and_a_registered_owner():
    text = "> From: Kowalczyk, Marta\n> > To: Nowak, Piotr\nRegistered Owner:          Ole Hansen\n"
    assert {v for _, v in hits(NameFieldRecognizer(), text)} == {"Kowalczyk, Marta", "Nowak, Piotr", "Ole Hansen"}


def test_outlook_printed_headers_without_addresses():
    text = ("From: Kowalczyk, Marta\nSent: Monday, March 4, 2024 10:02 AM\n"
            "To: Nowak, Piotr; SOC; Hansen, Ole Martin\nCc: All Staff; Incident Response; Ødegård, Øystein (IT)\n"
            "Subject: RE: isolated\n\nOn Monday, March 4, we met. To be clear: Smith, John was not there.")
    assert {v for _, v in hits(NameFieldRecognizer(), text)} == {
        "Kowalczyk, Marta", "Nowak, Piotr", "Hansen, Ole Martin", "Ødegård, Øystein"}


@pytest.mark.parametrize("text, name", [
    ("On-call: Kowalski (SOC lead) escalated at 02:14.", "Kowalski"),
    ("- Incident lead: Nowak\n- Scribe: n/a", "Nowak"),
    ("Assignee: Ødegård, since Monday", "Ødegård"),
    ("Requester: Olsen", "Olsen"),
    # a ticket's people, full names (ServiceNow, Jira)
    ("Caller: Per Olsen\nState: In Progress", "Per Olsen"),
    ("Assigned to: Jonas Hansen <jonas.hansen@halvorsen-bank.com>", "Jonas Hansen"),
    ("* Opened by: Maria Berg (SOC)", "Maria Berg"),
    # ... after a sentence, as PagerDuty writes it; an acknowledgement
    ("Incident #4411 triggered. Assigned to: Tore Lunde (escalation level 2).", "Tore Lunde"),
    ("Incident #4411 acknowledged. Acknowledged by Siri Bakke at 03:12.", "Siri Bakke"),
    ("Contact [Maria Berg](mailto:maria.berg@halvorsen-bank.com) today", "Maria Berg"),
])
def test_role_label_with_one_name(text, name):
    assert hits(NameFieldRecognizer(), text) == {("PERSON", name)}


@pytest.mark.parametrize("text", [
    "Owner: Finance", "Assignee: Unassigned", "Contact: Helpdesk (ext 2)", "Lead: Mandiant (IR retainer)",
    "Reporter: Splunk", "Owner: IT", "Analyst: TBD", "Manager: Pending; the pending review",
    "the owner: Kowalski said",          # not a label at the start of a line
    "Assigned to: Service Desk", "Caller: System Administrator", "Requested for: New Hire",
    "Caller: Unknown", "the caller: Per Olsen said",
    "[SOC Team](mailto:soc@x.org)", "[Service Desk](mailto:sd@x.org)", "[Maria Berg](https://x.org/maria)",
])
def test_role_label_near_misses(text):
    assert hits(NameFieldRecognizer(), text) == set()


@pytest.mark.parametrize("text, names", [     # directory and identity-provider fields
    ('{"userPrincipalName": "m.k@contoso.com", "userDisplayName": "Marta Kowalczyk"}', {"Marta Kowalczyk"}),
    ("displayName=Jan Nowak; givenName: Jan; sn: Nowak", {"Jan Nowak", "Jan", "Nowak"}),
    ("cn=John Smith,OU=Finance,DC=contoso,DC=local", {"John Smith"}),
    ('fullName="Øystein Ødegård"', {"Øystein Ødegård"}),
    ('"user_profile":{"real_name":"Maria Berg","display_name":"maria.b","name":"mberg"}', {"Maria Berg"}),   # Slack
    # a ticket export's people (ServiceNow, Jira)
    ('{"opened_by": "maria.berg", "caller_id": "Maria Berg", "assigned_to": "Jonas Hansen"}',
     {"Maria Berg", "Jonas Hansen"}),
    ("number=INC0012345 caller_id=Maria Berg approved_by=Lars Eriksen assigned_to=unassigned", {"Maria Berg", "Lars Eriksen"}),
    # ServiceNow's reference fields with their display values
    ('{"caller_id": {"link": "https://x.service-now.com/api/now/table/sys_user/6816", "display_value": "Marcus Bell"}, '
     '"opened_by": {"display_value": "Dana Whitfield"}, "assignment_group": {"display_value": "Service Desk"}}',
     {"Marcus Bell", "Dana Whitfield"}),
    # a Teams message's mentions as Graph exports them (one name too), a Jira comment's
    ('<p><at id=\\"0\\">Dana Whitfield</at> also paging <at id="1">Ben</at></p>', {"Dana Whitfield", "Ben"}),
    ("Comment by [~bortiz]: cc [~accountid:5b10ac8d82e05b22cc7d4ef5] and [~dana.whitfield@x.org]",
     {"bortiz", "5b10ac8d82e05b22cc7d4ef5", "dana.whitfield@x.org"}),
    # a JSON object of a user's type (Okta, Entra ID)
    ('{"actor": {"id": "00u1", "type": "User", "displayName": "Marcus Bell"}, "target": [{"type": "AppUser", '
     '"displayName": "Kari Lund"}, {"@odata.type": "#microsoft.graph.user", "displayName": "Ole Hansen"}]}',
     {"Marcus Bell", "Kari Lund", "Ole Hansen"}),
])
def test_name_fields_of_directories(text, names):
    assert values(NameFieldRecognizer(), text) == names


@pytest.mark.parametrize("text", [
    '"appDisplayName": "Office 365 Exchange Online"', "displayName: Administrator", "cn=Users,DC=x",
    "CN=Default Domain Policy,CN=Policies,CN=System", "cn=Domain Controllers", "cn=svc_ldap,ou=x",
    "sn: Young; young people joined",   # one word that is a common word of the text
    "displayName: Marta",               # one word: only given name and surname fields
    "Sincerely,\n\nBIANLIAN GROUP\n", "Thanks,\nIT Support Team",   # a gang's or a team's signature
    # a JSON object of an application, a group, a policy (Okta, Entra ID)
    '{"target": [{"id": "0oa9", "type": "AppInstance", "alternateId": "Epic Hyperspace", "displayName": "Epic Hyperspace"},'
    ' {"type": "UserGroup", "displayName": "Nurses East Wing"}, {"displayName": "Legacy Auth Block", "type": "PolicyRule"}]}',
    '{"@odata.type": "#microsoft.graph.servicePrincipal", "displayName": "Mercy Payroll Connector"}',
    '<at id="0">SOC Team</at> <at id="1">Microsoft Defender</at>; [~]; [x]',   # a team, a product: no one
])
def test_name_field_near_misses(text):
    assert values(NameFieldRecognizer(), text) == set()


@pytest.mark.parametrize("text, expected", [   # /etc/passwd: a person's account and GECOS name
    ("mberg:x:1001:1001:Maria Berg,,,:/home/mberg:/bin/bash",
     {("USERNAME", "mberg"), ("PERSON", "Maria Berg")}),
    ("a.lind:x:1002:100:Anna Lind:/home/a.lind:/usr/bin/zsh", {("USERNAME", "a.lind"), ("PERSON", "Anna Lind")}),
    ("deploy:x:1003:1003::/opt/deploy:/bin/sh", {("USERNAME", "deploy")}),
    # near misses: the system's accounts, a GECOS that is no name, not a passwd line
    ("root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
     "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin", set()),
    ("sshd:x:110:65534::/run/sshd:/usr/sbin/nologin", set()),
    ("time: 10:02:11:2024 moved to /usr/bin/x", set()),
])
def test_passwd_lines(text, expected):
    assert hits(NameFieldRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [   # one given name where a mail greets or signs
    ("Hi Piotr,\nplease isolate FIN-LT-0042.", {"Piotr"}),
    ("Dear Marta and Lars,\nsee below", {"Marta", "Lars"}),
    ("Thanks,\nPiotr\n", {"Piotr"}), ("Best,\nMarta", {"Marta"}), ("Hei Øystein!", {"Øystein"}),
    # in our users' languages: a greeting, a closing, two closings at once
    ("Hallo Jonas,\nx", {"Jonas"}), ("Bonjour Élodie,", {"Élodie"}), ("Cordialement,\nÉlodie\n", {"Élodie"}),
    ("Mit freundlichen Grüßen\nJürgen Weiß\nLeiter IT-Sicherheit", {"Jürgen Weiß"}),
    ("Med venlig hilsen / Mvh\nSøren Kierkegaard\nAfdelingsleder", {"Søren Kierkegaard"}),
    ("Met vriendelijke groet,\n\nDaan Visser", {"Daan Visser"}),
    # in a quoted reply, and thanks at a line's start
    ("> Thanks Anders. Looping in Tore.\n> Hi Marit,\n>> Regards,\n>> Bjørn", {"Anders", "Marit", "Bjørn"}),
    ("> Best regards,\n>\n> Marit Solheim\n> IT Security Lead", {"Marit Solheim"}),
    # near misses: a group, a title, a team, a tool, a day, a word (`Mark`) the text also uses
    ("Hi team,\nx", set()), ("Dear Customer,", set()), ("Hi all!", set()), ("Thanks,\nSOC\n", set()),
    ("Regards,\nSecurity\n", set()), ("Hey Splunk,", set()), ("Hi Monday,", set()),
    ("Hi Mark,\nplease mark it", set()), ("Hello World!", set()), ("This is Hi Piotr, no greeting", set()),
    ("Thanks Team.\nThanks Mandiant!\nThank you all.\nThanks Monday,\nThanks again.", set()),
])
def test_one_name_in_greetings_and_signatures(text, expected):
    assert values(NameFieldRecognizer(), text) == expected


def test_chat_speaker_username():
    assert hits(NameFieldRecognizer(), "[22:52] elindqvist: done") == {("USERNAME", "elindqvist")}
    assert hits(NameFieldRecognizer(), "[22:53] <jürgen.w>: ok") == {("USERNAME", "jürgen.w")}
    assert hits(NameFieldRecognizer(), "[22:54] Done: ok") == set()


@pytest.mark.parametrize("text, name", [      # without NER: names of any script in the fixed places
    ("From: Øystein Ødegård <oeh@evil.example>", "Øystein Ødegård"),
    ("[09:14] Jürgen Weiß: isolating now", "Jürgen Weiß"),
    ("Regards,\nŁukasz Żółć\n", "Łukasz Żółć"),
    ("escalated to Ayşe Işık for review", "Ayşe Işık"),
    # reg query's value of the registered owner
    ("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion  RegisteredOwner  REG_SZ  Øystein Ødegård", "Øystein Ødegård"),
    # a role noun and a comma, or who wrote, reviewed or ran it
    ("The user, Per Olsen from Treasury, confirmed the prompt.", "Per Olsen"),
    ("Timeline prepared by Kari Nordmann (SOC); lessons learned facilitated by Øystein Ødegård", None),
    # `Surname, Given` display names, as Outlook writes them
    ('From: "Nowak, Tomasz" <tnowak@corp.example>', "Nowak, Tomasz"),
    ("From: Nowak, Tomasz <tnowak@corp.example>", "Nowak, Tomasz"),
    ('To: a@corp.example, "Petrova, Elena" <ep@corp.example>', "Petrova, Elena"),
    ('cc: "Lindqvist-Berg, Anna-Maria" <alb@corp.example>', "Lindqvist-Berg, Anna-Maria"),
    ('From: "Ødegård, Øystein Jan" <x@corp.example>', "Ødegård, Øystein Jan"),
])
def test_name_fields_in_any_script(text, name):
    expected = {name} if name else {"Kari Nordmann", "Øystein Ødegård"}
    assert values(NameFieldRecognizer(), text) == expected


@pytest.mark.parametrize("text", [
    "approved by Change Advisory Board; reviewed by Legal Counsel; the user, Windows Defender, blocked it",
    "CISO, Fjellheim Energi AS",   # a title, then the company
    "prepared by Mandiant Consulting, led by Scattered Spider, authored by Unit 42; the user, Microsoft Teams",
    "Director, the Citizen Lab CEO, The SecDev Group (Ottawa); the analyst, Our Team; the user, AdFind Tool",
])
def test_name_in_context_near_misses(text):
    assert values(NameFieldRecognizer(), text) == set()


@pytest.mark.parametrize("text, names", [    # a title names a person, also one word alone
    ("Mr. Jensen from Finance forwarded it to Ms. Patel, who opened it.", {"Jensen", "Patel"}),
    ("Dear Dr. Hoffmann, the report is attached.", {"Hoffmann"}),
    ("Prof. Dr. Müller agreed; Ms Anna Berg signed.", {"Müller", "Anna Berg"}),
    ("Bitte wenden Sie sich an Herrn Müller oder Frau Schneider. Mme Dubois a confirmé.", {"Müller", "Schneider", "Dubois"}),
    ("Mrs. O'Neil called Mr. McKay.", {"O'Neil", "McKay"}),
    ("Dr. Priya Raman's clinic schedule; Mrs. O'Neil's car", {"Priya Raman", "O'Neil"}),   # not the genitive's `'s`
])
def test_a_title_names_a_person(text, names):
    assert values(NameFieldRecognizer(), text) == names


@pytest.mark.parametrize("text", ["Dr. Watson logs were empty", "Dr. Web and Dr.Web flagged it", "MS Teams and MS Word",
                                  "the DR site failed over", "Mr. Robot", "Dr. EDR", "Ms. TLP"])
def test_a_title_near_misses(text):
    assert values(NameFieldRecognizer(), text) == set()


def test_a_title_and_a_common_word_of_the_text_is_a_name_with_its_title():
    """`Mrs. World` in a text that also says "world": the name is taken with its title, so the
    entity table does not hunt `World` alone (found in the corpus: `Computer World` lost a word)."""
    text = 'sent from "Mrs. World"; the world is big. Ms. Young and young people. Mr. Jensen.'
    assert values(NameFieldRecognizer(), text) == {"Mrs. World", "Ms. Young", "Jensen"}


@pytest.mark.parametrize("text", ["To: Security, SOC <soc@corp.example>", "From: Operations, Team <ops@corp.example>",
                                  "From: IT, Helpdesk <it@corp.example>", "Subject: Nowak, Tomasz <x@y.example>"])
def test_mail_display_name_near_misses(text):
    assert values(NameFieldRecognizer(), text) == set()


def test_terms_are_case_and_whitespace_tolerant():
    rec = TermsRecognizer("ORGANIZATION", ["Acme Bank", "ACME Bank N.A."], name="t")
    assert values(rec, "ACME  bank and acme bank n.a. but not AcmeBanking") == {"ACME  bank", "acme bank n.a."}


def test_many_and_very_long_terms_compile_and_match():
    """Regression: a trie with deep nesting blew the `re` compiler's recursion on the corpus."""
    import random

    rng = random.Random(3)
    forms = ["".join(rng.choice("ab-") for _ in range(rng.randint(3, 3000))) for _ in range(2000)]
    forms += ["x" * 6000, "osl-ws-0001", "osl-ws-0001.hb.local"]
    rec = TermsRecognizer("HOSTNAME", forms, name="t")
    text = "at OSL-WS-0001.hb.local and osl-ws-0001 and " + "x" * 6000 + "."
    assert values(rec, text) == {"OSL-WS-0001.hb.local", "osl-ws-0001", "x" * 6000}


@pytest.mark.parametrize("text, value, person", [
    # the text writes the words together in lower case: a term, not a name
    ("3.2.3 Malicious Binaries found\nWe acquired twenty-seven malicious binaries.", "Malicious Binaries", False),
    ("Cross-Site Request Forgery\nProtect every form from request\nforgery.", "Request Forgery", False),
    ("Single Sign-on Authentication (SSO) - This occurs when a single sign-on server", "Single Sign-on Authentication",
     False),
    # a table's header row names columns
    ("| Compromised Referrer | Referrer Profile |\n|---|---|\n| a.com | b |\n", "Compromised Referrer", False),
    ("| Incident Owner | Role |\n| :--- | ---: |\n| Marta Kowalczyk | CISO |\n", "Incident Owner", False),
    # the header of aligned command output (net session)
    ("Computer               User name            Client Type       Opens Idle time\n" + "-" * 79 + "\n"
     "\\\\FINWS043             jhansen                                    0 00:10:02\n", "Opens Idle", False),
    # a name over Markdown's rule stays a name
    ("Prepared by   Maria Berg\n---\nSummary", "Maria Berg", True),
    ("Maria Berg\n----------\nSummary", "Maria Berg", True),
    # a name stays a name: in a table's body, and when only one of its words is used in lower case
    ("| Name | Role |\n|---|---|\n| Marta Kowalczyk | CISO |\n", "Marta Kowalczyk", True),
    ("| Marta Kowalczyk |\n| CISO |\n", "Marta Kowalczyk", True),
    ("Grace Brown reported it. Amazing grace.", "Grace Brown", True),
    ("Thanks to Andrew van der Stock. The tool of van der Waals.", "Andrew van der Stock", True),
    # English words in a column of no one's (a plaso timeline's `type`); in a person's column, a name
    ("date,time,MACB,source,sourcetype,type,user,host\n11/14/2026,03:06:40,.A..,REG,NTUSER key,Last Written,dw,h1\n",
     "Last Written", False),
    ('when\ttype\n03:06\t"Content Modification Time"\n', "Content Modification Time", False),
    ("| When | What | Who |\n|---|---|---|\n| 03:00 | Last Written | Will Hunt |\n", "Last Written", False),
    ("| When | What | Who |\n|---|---|---|\n| 03:00 | Last Written | Will Hunt |\n", "Will Hunt", True),
    ("date,type,AssignedTo\n11/14/2026,x,Will Hunt\n", "Will Hunt", True),
    ("11/14/2026,Last Written,x\n", "Last Written", True),   # no header: nothing says what the column holds
    # the header is the first of the rows as wide as this one, not a line of other pipes above the table
    ("PID|1||x^^^MRH^MR||DOE^JANE\nWhen | What | Owner\n03:00 | Last Written | x\n", "Last Written", False),
    ("| When | Owner |\n|---|---|\n| x | y |\nnote | Will Hunt\n", "Will Hunt", True),
])
def test_ner_spans_that_are_terms_or_column_names(text, value, person):
    from recognizers.people import NerPersonRecognizer
    start = text.index(value)
    result = NerPersonRecognizer()._result(text, start, start + len(value), 0.85)
    assert (result is not None and text[result.start:result.end] == value) is person


@pytest.mark.parametrize("text, span, value", [
    # a form's or a table's column gap ends the name: the next column's label is no part of it
    ("Assignee: Ola Knudsen   Reporter: Hilde Solberg   Components: OT-Network", "Hilde Solberg   Components",
     "Hilde Solberg"),
    ("Reporter:\tHilde Solberg\tComponents", "Hilde Solberg\tComponents", "Hilde Solberg"),
    # net user's aligned fields: the model ran on into the next line's label and value
    ("Full Name                    Dana Whitfield\nComment                      CISO - Ridge Tower 4\n",
     "Dana Whitfield\nComment                      CISO - Ridge", "Dana Whitfield"),
    # a greeting's or a sign-off's word is no part of the name; one name after it is still a name ...
    ("Hei Ola, kan du sjekke loggen fra fje-dc01? Mvh Hilde", "Mvh Hilde", "Hilde"),
    ("Hallo Jonas, bitte", "Hallo Jonas", "Jonas"),
    ("Regards Anders Lund.", "Regards Anders Lund", "Anders Lund"),
    # the Nordic and German genitive, when the text names the person without it; a name that ends in `s`
    ("Hilde Solberg opened it. Hilde Solbergs mail came later.", "Hilde Solbergs", "Hilde Solberg"),
    ("James Jones opened it. Later James Jones said so.", "James Jones", "James Jones"),
    # ... a department, in the languages of our users
    ("Ansprechpartner: Jürgen Weiß, Abteilung IT-Sicherheit.", "Abteilung IT-Sicherheit", None),
    # ... unless it is a word, or jargon
    ("Regards Mark", "Regards Mark", None), ("Best Practices", "Best Practices", None),
    ("Thanks Mimikatz", "Thanks Mimikatz", None),
])
def test_ner_span_trimmed(text, span, value):
    from recognizers.people import NerPersonRecognizer
    start = text.index(span)
    result = NerPersonRecognizer()._result(text, start, start + len(span), 0.85)
    assert (text[result.start:result.end] if result is not None else None) == value


@pytest.mark.parametrize("text, span, entity", [
    # NER's "person" with a legal form is a company: replaced as one (its name without the form is hunted too)
    ("Hilde Solberg\nSenior Security Analyst, Fjellheim Energi AS\nTlf: +47 22 33 44 55", "Fjellheim Energi AS",
     "ORGANIZATION"),
    ("our contractor (Dahl Elektro GmbH) had access", "Dahl Elektro GmbH", "ORGANIZATION"),
    ("signed by Kari Nordmann on behalf of the board", "Kari Nordmann", "PERSON"),
    # ... unless the company is a vendor's
    ("detected by Palo Alto Networks Inc", "Palo Alto Networks Inc", None),
])
def test_ner_person_with_a_legal_form_is_a_company(text, span, entity):
    from recognizers.people import NerPersonRecognizer
    start = text.index(span)
    result = NerPersonRecognizer()._result(text, start, start + len(span), 0.85)
    assert (result.entity_type if result is not None else None) == entity
