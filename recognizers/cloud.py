"""Cloud identifiers: AWS account IDs, ARNs, access key IDs and resource IDs; Azure
tenant/subscription IDs and GCP project IDs in context; our storage buckets.

A bucket is ours where the record says so: CloudTrail's `bucketName`, an S3 ARN, an S3 access
log's bucket field, a GCP audit log's `projects/…/buckets/…`. A bucket named only in a command
or prose (`s3://exfil-drop-7731`) can be the attacker's and stays, unless it is one of ours
found elsewhere (the entity table hunts it then, also in `hb-ledger-exports.s3.amazonaws.com`).

A bare 12-digit number or GUID is not enough (ticket numbers, CLSIDs, mutexes are kept): they
need a context word or the ARN/URL structure around them.
"""
from __future__ import annotations

import re

from .base import Candidate, RegexRecognizer, Rule, has_context
from .english import is_english_word
from .entity_types import (AWS_ACCESS_KEY_ID, AWS_ACCOUNT_ID, AWS_ARN, AWS_RESOURCE_ID, AZURE_ID, GCP_PROJECT, HOSTNAME,
                           STORAGE_BUCKET, USERNAME)
from .vocabulary import is_security_term

# an AWS access key's ID (20 characters) or the unique ID of a user, role or group (`AIDA…`, 21)
AWS_KEY_ID = r"(?:(?:AKIA|ASIA)[A-Z0-9]{16}|(?:AROA|AIDA|AGPA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16,17})"

# a GCP project ID as Google allows it: 6-30 characters, lower-case letters, digits, hyphens
GCP_PROJECT_ID = r"[a-z][a-z0-9-]{4,28}[a-z0-9]"
# an S3 or Cloud Storage bucket name: 3-63 lower-case letters, digits, dots, hyphens (GCS: also `_`)
BUCKET = r"[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]"
GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_CONFIG_REFERENCES = ("var.", "local.", "module.", "data.", "each.")
_AWS_CONTEXT = ("account", "aws", "accountid", "account_id", "owner", "ownerid", "recipientaccountid")
_AZURE_CONTEXT = ("tenant", "tenantid", "tenant_id", "subscription", "subscriptionid",
                  "subscription_id", "directory", "client id", "clientid", "client_id", "app id",
                  "appid", "application id", "object id", "objectid", "azure",
                  "tid", "oid",   # `?tid=` of portal links, a Teams link's tenant and organizer
                  "crosstenant")   # Exchange Online's `X-MS-Exchange-CrossTenant-Id:`: the receiving tenant


class CloudRecognizer(RegexRecognizer):
    ENTITIES = (AWS_ACCOUNT_ID,)
    RULES = (
        Rule("aws arn", r"\barn:aws[\w-]*:[\w-]+:[\w-]*:\d{12}:[^\s\"'`,;)\]}>]+", 0.95, ((0, AWS_ARN),), triggers=('arn:aws',), engine="regex"),
        Rule("aws account id (context)", r"(?<![\w-])\d{12}(?![\w-])", 0.5, ((0, AWS_ACCOUNT_ID),), triggers=('account', 'aws', 'owner')),
        Rule("aws account id (dashed)", r"(?<![\w-])\d{4}-\d{4}-\d{4}(?![\w-])", 0.5, ((0, AWS_ACCOUNT_ID),), triggers=('account', 'aws', 'owner'), engine="regex"),
        # a VPC flow log record (`2 482913657201 eni-0a1b… 10.20.1.15 …`): its second field is the account
        Rule("vpc flow log account", r"(?m)^[ \t]*[2-9][ \t]+(?P<a>\d{12})[ \t]+eni-[0-9a-f]{8,17}[ \t]", 0.95,
             (("a", AWS_ACCOUNT_ID),), triggers=('eni-',), engine="regex"),
        # key IDs (20 characters) and the unique IDs of users, roles, groups (`AIDA…`, 21: CloudTrail's principalId)
        Rule("aws access key id", rf"(?<![A-Za-z0-9]){AWS_KEY_ID}(?![A-Za-z0-9])",
             0.95, ((0, AWS_ACCESS_KEY_ID),), triggers=('akia', 'asia', 'aroa', 'aida', 'agpa', 'anpa', 'anva', 'aipa', 'abia', 'acca'), engine="regex"),
        # a resource of our AWS account: `i-0a1b2c3d4e5f67890`, `vpc-…`, `subnet-…`, `sg-…`, `vol-…`, `eni-…` (not
        # an AMI's ID: a public image the attacker launched is an indicator)
        Rule("aws resource id",
             r"(?<![\w-])(?:i|vpc|subnet|sg|eni|vol|snap|igw|nat|rtb|acl|eipalloc|vpce|tgw|fs)-(?:[0-9a-f]{17}|[0-9a-f]{8})"
             r"(?![\w-])", 0.85, ((0, AWS_RESOURCE_ID),),
             triggers=('i-', 'vpc-', 'subnet-', 'sg-', 'eni-', 'vol-', 'snap-', 'igw-', 'nat-', 'rtb-', 'acl-',
                       'eipalloc-', 'vpce-', 'tgw-', 'fs-')),
        # also URL-encoded: a Teams link's `context=%7b%22Tid%22%3a%22<tenant>%22`
        Rule("azure id (context)", rf"(?:(?<![\w-])|(?<=%2[27])|(?<=%3[aAdD])){GUID}(?![\w-])", 0.5, ((0, AZURE_ID),),
             triggers=('tenant', 'subscription', 'directory', 'client', 'app', 'object', 'azure', 'tid', 'oid'),
             engine="regex"),
        Rule("azure subscription path", rf"(?i)/subscriptions/(?P<id>{GUID})", 0.95, (("id", AZURE_ID),), triggers=('/subscriptions/',), engine="regex"),
        Rule("gcp project path", rf"\bprojects/(?P<p>{GCP_PROJECT_ID})\b", 0.9, (("p", GCP_PROJECT),), triggers=('projects/',), engine="regex"),
        # `GCP project acme-prod-4412`, `Google Cloud project ID is acme-prod`
        Rule("gcp project (prose)",
             rf"(?i)\b(?:gcp|google\s+cloud)\s+project(?:\s+id)?\s+(?:(?:is|was)\s+)?[\"'`]?(?P<p>{GCP_PROJECT_ID})(?![\w.-])",
             0.85, (("p", GCP_PROJECT),), triggers=('project',), engine="regex"),
        # where a bucket is ours: CloudTrail's `"bucketName": "…"` (GCP's `"bucket_name"` label), an S3 ARN, the
        # bucket field of an S3 server access log (after the owner's canonical ID), a GCP resource name
        Rule("bucket field", rf"(?<![\w-])[\"']?[Bb]ucket_?[Nn]ame[\"']?\s*[:=]\s*[\"']?(?P<b>{BUCKET})(?![\w.-])", 0.9,
             (("b", STORAGE_BUCKET),), triggers=('bucketname', 'bucket_name'), engine="regex"),
        Rule("s3 arn", rf"\barn:aws[\w-]*:s3:::(?P<b>{BUCKET})(?![\w.-])", 0.9, (("b", STORAGE_BUCKET),),
             triggers=('arn:aws',), engine="regex"),
        Rule("s3 access log", rf"(?m)^[0-9a-f]{{64}} (?P<b>{BUCKET}) \[", 0.9, (("b", STORAGE_BUCKET),), engine="regex"),
        Rule("gcs bucket path", rf"\bprojects/(?:_|{GCP_PROJECT_ID})/buckets/(?P<b>{BUCKET})(?![\w.-])", 0.9,
             (("b", STORAGE_BUCKET),), triggers=('/buckets/',), engine="regex"),
        # a resource's tags in AWS's JSON (`{"Key": "Name", "Value": "hb-bastion-prod"}`): an instance's name is
        # a host's, its owner's tag a user's (an address there is the address rules')
        Rule("aws name tag", r'(?i)"key"\s*:\s*"Name"\s*,\s*"value"\s*:\s*"(?P<h>[A-Za-z0-9][\w.-]{0,62})"', 0.8,
             (("h", HOSTNAME),), triggers=('"key"',), engine="regex"),
        Rule("aws owner tag",
             r'(?i)"key"\s*:\s*"(?:owner|created_?by|creator|contact)"\s*,\s*"value"\s*:\s*"(?P<u>[A-Za-z][\w.-]{1,63})"',
             0.8, (("u", USERNAME),), triggers=('"key"',), engine="regex"),
        Rule("gcp project field",
             rf"(?i)\b(?:project(?:[_ -]?id)?|gcp project)\s*[:=]\s*[\"']?(?P<p>{GCP_PROJECT_ID})\b",
             0.85, (("p", GCP_PROJECT),), triggers=('project',), engine="regex"),
        # gcloud's and gsutil's flag: `gcloud compute ssh web-01 --project acme-prod-4412`, `--project=acme-prod`
        Rule("gcloud project flag",
             rf"\b(?:gcloud|gsutil|bq)\b[^\n]*?[ \t]--project[ \t=][\"']?(?P<p>{GCP_PROJECT_ID})(?![\w.-])",
             0.9, (("p", GCP_PROJECT),), triggers=('--project',), engine="regex"),
    )

    def check(self, cand: Candidate) -> float | None:
        text = cand.match.string
        if cand.rule.name.startswith("aws account id"):
            return 0.9 if has_context(text, cand.start, _AWS_CONTEXT, 40) else None
        if cand.rule.name == "azure id (context)":
            return 0.9 if has_context(text, cand.start, _AZURE_CONTEXT, 40) else None
        if cand.entity == AWS_RESOURCE_ID and not re.search(r"\d", cand.value.split("-", 1)[1]):
            return None   # `sg-deadbeef`: letters only, a word more often than an ID
        if cand.rule.name in ("aws name tag", "aws owner tag") and (
                is_english_word(cand.value.lower().replace("-", "").replace("_", "")) or is_security_term(cand.value)):
            return None   # `"Value": "web"`, `"Value": "security"`: a word, which the entity table would hunt everywhere
        if cand.entity == STORAGE_BUCKET and (cand.value.startswith(_CONFIG_REFERENCES) or ".." in cand.value):
            return None   # Terraform's `bucket_name = var.exports_bucket`: a reference, not the name
        if cand.entity == GCP_PROJECT and not any(c.isdigit() or c == "-" for c in cand.value):
            return None
        return cand.score
