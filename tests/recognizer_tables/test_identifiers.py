import pytest

from recognizers.identifiers import IdentifierRecognizer

from .helpers import hits

IDS = IdentifierRecognizer()


@pytest.mark.parametrize("text, expected", [
    ("Employee ID E104552 (Accounts Payable) clicked the link.", {("EMPLOYEE_ID", "E104552")}),
    ("Badge no. 20417 was used at 02:13.", {("EMPLOYEE_ID", "20417")}),
    ("staff_id=77821 payroll number 0081234", {("EMPLOYEE_ID", "77821"), ("EMPLOYEE_ID", "0081234")}),
    ("personnel no.: 551209", {("EMPLOYEE_ID", "551209")}),
    ("employee number is HB-44120", {("EMPLOYEE_ID", "HB-44120")}),
    ("Customer number 88213004 called.", {("CUSTOMER_ID", "88213004")}),
    ("customer id: CU-44120", {("CUSTOMER_ID", "CU-44120")}),
    ("Kundennummer 4471-2209", {("CUSTOMER_ID", "4471-2209")}),
    ("member ID 55120931; Insurance member ID BCBS-IL 884412931", {("CUSTOMER_ID", "55120931"),
                                                                   ("CUSTOMER_ID", "884412931")}),
    ('{"employeeId": "104455", "customerId": "88213004", "mrn": "004829137"}',   # JSON keys (Entra ID, a CRM)
     {("EMPLOYEE_ID", "104455"), ("CUSTOMER_ID", "88213004"), ("CUSTOMER_ID", "004829137")}),
    # a hospital's patients
    ("records for MRN 004829137 and MRN# 004829301; medical record number: 0048291",
     {("CUSTOMER_ID", "004829137"), ("CUSTOMER_ID", "004829301"), ("CUSTOMER_ID", "0048291")}),
    ("Patient ID P-2210934, encounter no. 7781234; Patient FIN 12004481923 chart; CSN: 88123456",
     {("CUSTOMER_ID", "P-2210934"), ("CUSTOMER_ID", "7781234"), ("CUSTOMER_ID", "12004481923"),
      ("CUSTOMER_ID", "88123456")}),
    # our devices: asset and service tags, serial numbers, a phone's IMEI and UDID
    ("laptop FIN-LT-0042 (serial 5CG1234XYZ, asset tag HB-004417); Dell service tag 7XK2M3J",
     {("DEVICE_ID", "5CG1234XYZ"), ("DEVICE_ID", "HB-004417"), ("DEVICE_ID", "7XK2M3J")}),
    ("IMEI 356938035643809, UDID 00008030-001A2B3C4D5E802E, S/N: C02XK0ABJGH5",
     {("DEVICE_ID", "356938035643809"), ("DEVICE_ID", "00008030-001A2B3C4D5E802E"), ("DEVICE_ID", "C02XK0ABJGH5")}),
    # a company's registration or VAT number
    ("Halvorsen Bank ASA | Org.nr. 987 654 321 MVA | Strandveien 20", {("COMPANY_ID", "987 654 321 MVA")}),
    ("Company No. 01234567, VAT GB123456789; CVR-nr. 12345678; Y-tunnus 1234567-8",
     {("COMPANY_ID", "01234567"), ("COMPANY_ID", "GB123456789"), ("COMPANY_ID", "12345678"), ("COMPANY_ID", "1234567-8")}),
    # a company with a legal form after customer/client/merchant
    ("Customer Acme Logistics GmbH (account 00482913) reported; client Nordic Freight AS was also hit.",
     {("CUSTOMER", "Acme Logistics GmbH"), ("CUSTOMER", "Nordic Freight AS")}),
    ("the customer was Fjord Kraft ASA.", {("CUSTOMER", "Fjord Kraft ASA")}),
    ("the client Havbris Shipping Holding Group AS was hit", {("CUSTOMER", "Havbris Shipping Holding Group AS")}),
    ("Lars Eriksen (Nordvik Kraft AS, our customer) was told; Fjord Kraft ASA (a client) too",
     {("CUSTOMER", "Nordvik Kraft AS"), ("CUSTOMER", "Fjord Kraft ASA")}),
    # without a legal form: capitalized words there, one of them no English word
    ("Customer Nordvik Kraft reported it; the merchant Kaffebrenneriet Oslo was hit; Customer Tailspin Toys too",
     {("CUSTOMER", "Nordvik Kraft"), ("CUSTOMER", "Kaffebrenneriet Oslo"), ("CUSTOMER", "Tailspin Toys")}),
    # a list after its label, and a customer's number as an abbreviation writes it
    ("Affected customers (3): Havbris Shipping AS (cust. no. 20931), Nordlys Fiskeri (client no. 20944) and "
     "a private one",
     {("CUSTOMER", "Havbris Shipping AS"), ("CUSTOMER_ID", "20931"), ("CUSTOMER", "Nordlys Fiskeri"),
      ("CUSTOMER_ID", "20944")}),
    ("Clients: Fjord Kraft ASA, Kaffebrenneriet Oslo. Note: Contoso Ltd was not affected",
     {("CUSTOMER", "Fjord Kraft ASA"), ("CUSTOMER", "Kaffebrenneriet Oslo")}),
    # the organisation a machine is registered to (systeminfo, the registry): ours
    ("Registered Owner:          Marta Kowalczyk\nRegistered Organization:   Halvorsen Bank ASA\n",
     {("ORGANIZATION", "Halvorsen Bank ASA")}),
    ('"RegisteredOrganization" = "Nordvik Kraft AS"', set()),   # a quoted value: not this rule's shape
    # a OneDrive for Business folder is named after our organisation; the consumer OneDrive's is not
    ("staged in C:\\Users\\ohaugen\\OneDrive - Fjellheim Energi AS\\Documents\\exp.7z", {("ORGANIZATION", "Fjellheim Energi AS")}),
    ("C:\\Users\\x\\OneDrive - Personal\\a.txt; onedrive - persönlich/b; OneDrive - Microsoft", set()),
    ("HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion  RegisteredOrganization  REG_SZ  Halvorsen Bank ASA",
     {("ORGANIZATION", "Halvorsen Bank ASA")}),
    # a mail signature's company, a few lines under the closing
    # a title, a comma, then the company; a comma before the legal form is the company's
    ("Mvh\nHilde Solberg\nCISO, Fjellheim Energi AS\nTlf: +47 930 11 222\n", {("ORGANIZATION", "Fjellheim Energi AS")}),
    ("Regards,\nJo\nAcme Logistics, Inc.\n", {("ORGANIZATION", "Acme Logistics, Inc.")}),
    ("Best regards,\nMaria Berg\nHead of Security Operations | Halvorsen Bank ASA\nStrandveien 20",
     {("ORGANIZATION", "Halvorsen Bank ASA")}),
    ("Kind regards,\n\nJames Whitfield\nSenior Incident Responder\nNorthbridge Building Society\nT: 0113",
     {("ORGANIZATION", "Northbridge Building Society")}),
    ("Med vennlig hilsen\nLars Eriksen\nFjord Kraft AS", {("ORGANIZATION", "Fjord Kraft AS")}),
    # a signature's delimiter, also in a quoted reply
    ("> Thanks Anders.\n> -- \n> Marit Solheim | IT Security Lead\n> Kestrel Maritime AS | Strandkaien 12, 5013 Bergen",
     {("ORGANIZATION", "Kestrel Maritime AS")}),
    ("see below\n-- \nLars Eriksen\nFjord Kraft AS\n", {("ORGANIZATION", "Fjord Kraft AS")}),
    ("Mit freundlichen Grüßen\nJürgen Weiß\nLeiter IT-Sicherheit\nNordbank AG", {("ORGANIZATION", "Nordbank AG")}),
    ("Med venlig hilsen / Mvh\nSøren Kierkegaard\nFjordbyen A/S", {("ORGANIZATION", "Fjordbyen A/S")}),
])
def test_identifier_hits(text, expected):
    assert hits(IDS, text) == expected


@pytest.mark.parametrize("text", [
    "employee 4 of 12 clicked", "Employee IDs are 6 digits", "customer since 2019", "customer 360 portal",
    "customer id 2019", "employee no. 42", "the customer ID field was empty", "staff number: unknown",
    "client_id=3f2504e0-4f89-11d3-9a0c-0305e82c3301",    # Azure's: the cloud rules' business
    "the email client Microsoft Corporation ships", "client Google LLC", "the client SA is",
    "our customer Acme reported it",                       # one word, no legal form: the profile's list knows it
    "Customer Success Team", "the client Microsoft Teams", "a TLS Client Hello Message", "client Windows Defender",
    "Microsoft Corporation, a client of many", "CrowdStrike Inc., our vendor",
    "Customer Data Platform", "the Client Side Rendering", "Client Green Bank: the green bank of the river",
    "Registered Organization:   N/A", "Registered Organization:",
    # a list of segments or tools after the label, no company
    "Affected customers: Retail Banking, Private Clients and Corporate Finance", "Customers: none affected. TLP: AMBER",
    "Clients: notified via Microsoft Teams; Cobalt Strike was used",
    # a security vendor signs (its name stays); a company past the signature's end (a blank line)
    "Regards,\nKevin Mandia\nMandiant Inc.", "Best regards,\nAnna\nCrowdStrike, Inc.",
    "Thanks,\nJo\n\nWe also saw Acme Corp. in the logs",
    # a signing certificate's serial (an indicator), a volume's (an LNK file's: maybe the attacker's machine)
    "signed with a certificate, serial number 0A1B2C3D4E5F60718293A4B5C6D7E8F9", "Volume Serial Number is 1A2B-3C4D",
    "the LNK's drive serial number: 5CB2E4D1",
    # patient zero, a year after a team's name, a host: no patient's number
    "Patient 0 was FIN-LT-0042; patient zero; MRN field is 9 digits; FIN 2024 budget; fin 12345678; CSN-123456",
    "the patient ID 2019 format; Encounter 2024",
    "member ID TLP 12; customer ID is N/A 2024",
    "VAT 25%, org 12, the company number of employees 1200, EIN 1", "vat 2024-05-11", "abnormal 123456", "serial number CHANGED", "the asset tag was missing", "serial port COM3",
])
def test_identifier_near_misses(text):
    assert hits(IDS, text) == set()
