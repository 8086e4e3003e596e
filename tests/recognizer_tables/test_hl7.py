import pytest

from recognizers.hl7 import Hl7Recognizer

from .helpers import hits

HL7 = Hl7Recognizer()

ADT = ("MSH|^~\\&|EPIC|MRH|LAB|MRH|202611140312||ADT^A08|MSG00012|P|2.5.1\r"
       "EVN|A08|202611140312|||OP4411^MORALES^LUIS\r"
       "PID|1||004829137^^^MRH^MR~A77120^^^SSA^PT||WHITAKER^JANE^A||19780412|F|||"
       "1457 W DEVON AVE^^CHICAGO^IL^60660||(773)555-0143~^NET^Internet^jw@example.org|||||88441293|412-55-8812\r"
       "NK1|1|WHITAKER^TOM|SPO|1457 W DEVON AVE^^CHICAGO^IL^60660|(773)555-0177\r"
       "PV1|1|I|4EAST^412^01^MRH||||1234567890^RAMAN^PRIYA^^^DR|||MED|||||||||V00981234\r")


def test_an_adt_message_names_its_patient_kin_and_clinicians():
    assert hits(HL7, ADT) == {
        ("EMPLOYEE_ID", "OP4411"), ("PERSON", "MORALES^LUIS"),                            # the operator (EVN-5)
        ("CUSTOMER_ID", "004829137"), ("CUSTOMER_ID", "A77120"),                           # each identifier, alone
        ("PERSON", "WHITAKER^JANE^A"), ("DATE_OF_BIRTH", "19780412"),
        ("POSTAL_ADDRESS", "1457 W DEVON AVE^^CHICAGO^IL^60660"), ("PHONE_NUMBER", "(773)555-0143"),
        ("CUSTOMER_ID", "88441293"), ("US_SSN", "412-55-8812"),                            # PID-18, PID-19
        ("PERSON", "WHITAKER^TOM"), ("PHONE_NUMBER", "(773)555-0177"),                     # the next of kin
        ("EMPLOYEE_ID", "1234567890"), ("PERSON", "RAMAN^PRIYA"), ("CUSTOMER_ID", "V00981234"),   # PV1-7, PV1-19
    }


def test_segments_on_lines_of_their_own():
    text = "The feed carried:\n\n    PID|1||55120931^^^MRH^MR||DOE^JOHN||19610101\nand nothing else."
    assert hits(HL7, text) == set()   # indented: quoted inside prose, not a segment's line
    text = "The feed carried:\nPID|1||55120931^^^MRH^MR||DOE^JOHN||19610101\nand nothing else."
    assert hits(HL7, text) == {("CUSTOMER_ID", "55120931"), ("PERSON", "DOE^JOHN"), ("DATE_OF_BIRTH", "19610101")}


@pytest.mark.parametrize("text", [
    "| PID | PPID | CMD |\n|---|---|---|\n| 4242 | 1 | x |",   # a process table
    "PID|PPID|CMD\n4242|1|/bin/sh",
    "MSH|^~\\&|EPIC|MRH|LAB|MRH|202611140312||ADT^A08|MSG00012|P|2.5.1",   # the header: software and site stay
    "PID|1||^^^MRH^MR||^^||\nPV1|1|I|4EAST^412^01^MRH||||^^^^^DR",   # empty fields
    "OBX|1|NM|2345-7^GLUCOSE^LN||182|mg/dL|70-99|H|||F",   # a result: no one
])
def test_hl7_near_misses(text):
    assert hits(HL7, text) == set()
