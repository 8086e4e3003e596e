"""Security vocabulary that is never a person, an organisation of ours, or a host.

NER in incident reports tags tools, malware, vendors, protocols and jargon as PERSON/ORG;
these words veto such findings. Lower-case; multi-word terms are matched as phrases.
"""
from __future__ import annotations

import re
from functools import lru_cache

TERMS = frozenset("""
tlp tlp:red tlp:amber tlp:green tlp:clear tlp:white edr xdr mdr ndr soc siem soar smb rdp c2 c&c
cnc ioc iocs ttp ttps utc gmt cve cves cvss apt mfa 2fa otp vpn dns http https tls ssl ssh sftp ftp
ldap ldaps kerberos ntlm ntlmv2 smtp imap pop3 snmp tcp udp icmp ip ipv4 ipv6 dhcp arp vlan wan lan
api sso saml oauth oidc jwt pki csr dmz ad aad gpo lsass sam ntds dc hr it ciso cio cto ceo cfo
dfir ir ioa ransomware malware wiper loader stealer infostealer backdoor trojan rat rootkit botnet
phishing spearphishing smishing vishing bec ddos exploit payload beacon implant webshell dropper
powershell cmd bash wmi wmic psexec mimikatz cobalt strike cobaltstrike bloodhound sharphound
rubeus impacket kerbrute hashcat crackmapexec netexec nmap masscan metasploit meterpreter sliver
havoc brute ratel bruteratel empire covenant mythic ngrok chisel plink putty winscp rclone megasync
mega anydesk teamviewer atera screenconnect connectwise splashtop ligolo frp rustdesk netcat
lockbit blackcat alphv conti ryuk revil sodinokibi akira blackbasta black basta royal play clop
cl0p hive qakbot qbot emotet trickbot icedid bumblebee pikabot smokeloader dridex darkgate
redline raccoon vidar lumma asyncrat njrat remcos agenttesla formbook lokibot gootloader
socgholish ragnarlocker ragnar locker muddywater kimsuky lazarus turla apt27 apt28 apt29 fin7
scattered spider midnight blizzard volt typhoon havex
crowdstrike falcon sentinelone defender microsoft windows linux macos ubuntu debian redhat okta
splunk elastic kibana qradar sentinel cortex palo alto paloalto fortinet fortigate fortios cisco
juniper citrix netscaler vmware esxi vcenter veeam azure entra aws amazon gcp google cloudflare
akamai zscaler proofpoint mimecast exchange outlook office o365 m365 sharepoint onedrive teams
slack zoom github gitlab bitbucket jira confluence servicenow salesforce workday oracle sap
wireshark zeek suricata snort sysmon yara sigma mitre att&ck virustotal shodan censys urlscan
abuseipdb greynoise tor onion chrome firefox edge safari python java javascript node docker
kubernetes nginx apache iis tomcat jenkins ansible terraform pypi npm crates rubygems homebrew
angular angularjs react reactjs vue vuejs django flask rails laravel spring struts wordpress drupal joomla
excel word powerpoint pdf zip rar iso lnk dll exe msi vbs hta js ps1 bat
xmrig guardduty cloudtrail securityhub macie inspector kape velociraptor chainsaw volatility malfind vad vads
evilproxy evilginx tycoon mamba caffeine greatness naked pages cobalt
autoruns procmon sysinternals ftk encase axiom x-ways plaso timesketch thehive cortex misp opencti
ransom note readme
kaspersky symantec mandiant eset sophos mcafee trellix fireeye talos secureworks bitdefender adobe acrobat rsa
xor
injection forgery tampering spoofing hijacking traversal deserialization exfiltration sign-on
sinkhole sinkholed sandbox honeypot basenamedobjects systemroot
monday tuesday wednesday thursday friday saturday sunday
incident response team analyst attacker threat actor adversary victim user admin administrator
hostname hostnames computername servername remotehost targethost machinename username usernames userid
""".split())

PHRASES = frozenset({
    "cobalt strike", "brute ratel", "black basta", "scattered spider", "midnight blizzard",
    "volt typhoon", "palo alto", "incident response", "threat actor", "active directory",
    "domain admins", "security operations", "windows defender", "microsoft defender",
    "trend micro", "check point", "unit 42", "flash player", "john the ripper", "dark seoul", "moonlight maze",
    "dark reading", "krebs on security", "bleeping computer",
})


# the last word of a threat actor's name in the vendors' schemes (Microsoft: `Octo Tempest`, `Star Blizzard`,
# `Mint Sandstorm`; CrowdStrike: `Wicked Panda`, `Charming Kitten`, `Labyrinth Chollima`; Unit 42: `Muddled
# Libra`, `Cloaked Ursa`, `Bitter Scorpius`): two words ending so
# are an actor, not a person (words that are also surnames, `Flood`, `Bear`, `Hail`, are left out)
ACTOR_FAMILIES = frozenset("""
blizzard typhoon sandstorm sleet tempest tsunami cyclone chollima panda kitten spider jackal ocelot
taurus ursa pisces serpens libra scorpius
""".split())


# threat actors' designations: `APT1`, `UNC3944`, `TA505`, `DEV-0537`, `Storm-0558`, `TEMP.Veles`
# (not `FIN7` or ATT&CK's `G0016`: a department or a numbering scheme may name machines so)
_ACTOR_ID = re.compile(r"apt-?\d{1,3}|unc\d{3,5}|ta\d{3,4}|dev-\d{4}|storm-\d{4}|temp\.[a-z]+")


@lru_cache(maxsize=65536)
def is_security_term(text: str) -> bool:
    """True if `text`, or any word in it, is security vocabulary (memoized: logs repeat their
    user and host names on every line)."""
    low = " ".join(text.lower().split())
    if low in TERMS or low in PHRASES:
        return True
    if any(p in low for p in PHRASES):
        return True
    words = low.split()
    if len(words) == 2 and words[1].strip(".,;:()[]'\"") in ACTOR_FAMILIES:
        return True
    if any(_ACTOR_ID.fullmatch(w.strip(".,;:()[]'\"")) for w in words):
        return True
    return any(w.strip(".,;:()[]'\"") in TERMS for w in low.split())
