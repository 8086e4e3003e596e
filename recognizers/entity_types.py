"""Entity type names: a public contract.

Allow lists, reports, the vault and users' scripts depend on these strings. Add new ones;
never rename or reuse one.
"""
from __future__ import annotations

# Network and hosts
IP_ADDRESS = "IP_ADDRESS"
HOSTNAME = "HOSTNAME"            # internal FQDN or short host name
DOMAIN_NAME = "DOMAIN_NAME"      # a DNS domain (internal ones replaced, external kept)
URL = "URL"
MAC_ADDRESS = "MAC_ADDRESS"
UNC_PATH = "UNC_PATH"

# Identities
EMAIL_ADDRESS = "EMAIL_ADDRESS"
USERNAME = "USERNAME"
AD_DOMAIN = "AD_DOMAIN"          # NetBIOS / Active Directory domain name
PERSON = "PERSON"
ORGANIZATION = "ORGANIZATION"    # the reporting organisation's own names
CUSTOMER = "CUSTOMER"            # customer organisation names from the profile
CUSTOMER_ID = "CUSTOMER_ID"
EMPLOYEE_ID = "EMPLOYEE_ID"      # an employee, staff, badge or personnel number (in context)
PHONE_NUMBER = "PHONE_NUMBER"
POSTAL_ADDRESS = "POSTAL_ADDRESS"  # a street, its number and the postcode and town
WINDOWS_SID = "WINDOWS_SID"

# Cloud
AWS_ACCOUNT_ID = "AWS_ACCOUNT_ID"
AWS_ARN = "AWS_ARN"
AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID"
AWS_RESOURCE_ID = "AWS_RESOURCE_ID"   # an instance, VPC, subnet, security group, volume… of our account (`i-0a1b…`)
AZURE_ID = "AZURE_ID"
GCP_PROJECT = "GCP_PROJECT"
STORAGE_BUCKET = "STORAGE_BUCKET"     # an S3 or Cloud Storage bucket of ours (where the record says it is ours)

# Secrets (always replaced)
SECRET = "SECRET"

# Financial / personal identifiers
CREDIT_CARD = "CREDIT_CARD"
IBAN_CODE = "IBAN_CODE"
ABA_ROUTING_NUMBER = "ABA_ROUTING_NUMBER"   # Presidio's name
BANK_ACCOUNT = "BANK_ACCOUNT"
SWIFT_CODE = "SWIFT_CODE"
US_SSN = "US_SSN"                           # Presidio's name
UK_NINO = "UK_NINO"                         # Presidio's name
NATIONAL_ID = "NATIONAL_ID"                 # a national identity number next to its words (fødselsnummer, CPR…)
PASSPORT_NUMBER = "PASSPORT_NUMBER"
DATE_OF_BIRTH = "DATE_OF_BIRTH"             # a date next to "DOB"/"date of birth" (other dates are kept)
COMPANY_ID = "COMPANY_ID"                   # a company's registration or VAT number (in context)
DEVICE_ID = "DEVICE_ID"                     # an asset tag, service tag, serial number, IMEI or UDID (in context)

# Indicators that are kept (recognized so that nothing else eats them)
HASH = "HASH"
CVE_ID = "CVE_ID"
ATTACK_ID = "ATTACK_ID"

SENSITIVE_TYPES = frozenset({
    IP_ADDRESS, HOSTNAME, DOMAIN_NAME, URL, MAC_ADDRESS, UNC_PATH, EMAIL_ADDRESS, USERNAME,
    AD_DOMAIN, PERSON, ORGANIZATION, CUSTOMER, CUSTOMER_ID, EMPLOYEE_ID, PHONE_NUMBER, WINDOWS_SID,
    AWS_ACCOUNT_ID, AWS_ARN, AWS_ACCESS_KEY_ID, AZURE_ID, GCP_PROJECT, SECRET, CREDIT_CARD,
    IBAN_CODE, ABA_ROUTING_NUMBER, BANK_ACCOUNT, SWIFT_CODE, US_SSN, UK_NINO, POSTAL_ADDRESS,
    NATIONAL_ID, PASSPORT_NUMBER, DATE_OF_BIRTH, DEVICE_ID, COMPANY_ID, AWS_RESOURCE_ID,
    STORAGE_BUCKET,
})
INDICATOR_TYPES = frozenset({HASH, CVE_ID, ATTACK_ID})
ALL_TYPES = SENSITIVE_TYPES | INDICATOR_TYPES
