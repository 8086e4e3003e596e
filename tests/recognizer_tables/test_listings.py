import pytest

from recognizers.listings import NetListingRecognizer

from .helpers import hits

NET = NetListingRecognizer()
RULE = "-" * 79

NET_GROUP = f"""C:\\> net group "Domain Admins" /domain
Group name     Domain Admins
Comment        Designated administrators of the domain

Members

{RULE}
adm-lerik                Administrator            mberg
jhansen                  svc_backup
The command completed successfully.
"""
NET_LOCALGROUP = f"""Alias name     administrators
Members

{RULE}
Administrator
HALVORSEN\\Domain Admins
HALVORSEN\\mberg
NT AUTHORITY\\INTERACTIVE
FINSRV03$
The command completed successfully.
"""
NET_USER = f"""User accounts for \\\\DC01

{RULE}
Administrator            DefaultAccount           Guest
jhansen                  krbtgt                   lerik.adm
The command completed successfully.
"""


@pytest.mark.parametrize("text, expected", [
    (NET_GROUP, {("USERNAME", "adm-lerik"), ("USERNAME", "mberg"), ("USERNAME", "jhansen"), ("USERNAME", "svc_backup")}),
    (NET_LOCALGROUP, {("AD_DOMAIN", "HALVORSEN"), ("USERNAME", "mberg"), ("HOSTNAME", "FINSRV03")}),
    (NET_USER, {("USERNAME", "jhansen"), ("USERNAME", "lerik.adm")}),
])
def test_net_listing_hits(text, expected):
    assert hits(NET, text) == expected


@pytest.mark.parametrize("text", [
    "Members\n\nThe IR team: Anna, Lars and the SOC.",           # a report's heading, no rule of dashes
    f"Members\n{RULE}\nThe command completed successfully.\n",   # an empty group
    f"Members\n{RULE}\nAdministrator            Guest\nDomain Admins\n",
])
def test_net_listing_near_misses(text):
    assert hits(NET, text) == set()
