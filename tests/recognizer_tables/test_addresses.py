import pytest

from recognizers.addresses import AddressRecognizer

from .helpers import hits, values

ADDR = AddressRecognizer()


@pytest.mark.parametrize("text, expected", [
    # a signature's or a contact card's address: the country after it stays
    ("Halvorsen Bank ASA\nStrandveien 20, 1366 Lysaker, Norway", "Strandveien 20, 1366 Lysaker"),
    ("Hauptstraße 5\n10115 Berlin", "Hauptstraße 5\n10115 Berlin"),
    ("Kungsgatan 12, 111 43 Stockholm", "Kungsgatan 12, 111 43 Stockholm"),
    ("Karl Johans gate 5, 0154 Oslo", "Karl Johans gate 5, 0154 Oslo"),
    ("Herengracht 182, 1016 BR Amsterdam", "Herengracht 182, 1016 BR Amsterdam"),
    ("Hovedgaden 3, 2800 Kongens Lyngby", "Hovedgaden 3, 2800 Kongens Lyngby"),
    ("ul. Marszałkowska 10, 00-590 Warszawa", "ul. Marszałkowska 10, 00-590 Warszawa"),
    ("Mannerheimintie 12 B, 00100 Helsinki", "Mannerheimintie 12 B, 00100 Helsinki"),
    ("Calle Mayor 5, 28013 Madrid", "Calle Mayor 5, 28013 Madrid"),
    ("12 rue de Rivoli, 75001 Paris", "12 rue de Rivoli, 75001 Paris"),
    ("1 Northbridge Way, Leeds LS1 4AP", "1 Northbridge Way, Leeds LS1 4AP"),
    ("Head office: 20 Bishopsgate, London EC2N 4AG", "20 Bishopsgate, London EC2N 4AG"),
    ("350 Fifth Avenue, Suite 4100, New York, NY 10118", "350 Fifth Avenue, Suite 4100, New York, NY 10118"),
    ("the branch at Storgata 5, 0155 Oslo was hit first", "Storgata 5, 0155 Oslo"),
    # a quay, a wharf, a square, an avenue (`allé`)
    ("the Bergen branch at Strandkaien 2, 5013 Bergen", "Strandkaien 2, 5013 Bergen"),
    ("Aker Brygge 1, 0250 Oslo", "Aker Brygge 1, 0250 Oslo"),
    ("Bygdøy allé 2, 0257 Oslo", "Bygdøy allé 2, 0257 Oslo"),
    ("Youngstorget 1, 0181 Oslo and Jernbanetorget 1", "Youngstorget 1, 0181 Oslo"),
])
def test_address_hits(text, expected):
    assert hits(ADDR, text) == {("POSTAL_ADDRESS", expected)}


@pytest.mark.parametrize("text", [
    "Windows Server 2019, 1607 build", "port 443, 8080 Proxy", "version 20, 1366 Lysaker", "Street 20",
    "20 Main Street, Springfield", "KB5034441, 2024 Update", "Event 4625, 4624 Logon", "Build 22631, 1234 Windows",
    "the 3 Failed Logins, 2 Sessions", "T1059 Way, 1234 Test",
    "Monitoring 5, 1234 Events", "Investigate 3, 2000 Hosts",   # English words that end like streets
    "at 2024-05-11 10:02, 4 hosts", "Strandveien 20",   # no postcode
    "Shanghai 5, 1234 Events", "Install 3, 2000 Hosts", "Dubai 2, 2024 Report",
])
def test_address_near_misses(text):
    assert values(ADDR, text) == set()
