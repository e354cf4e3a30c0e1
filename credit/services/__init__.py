"""Writes of credit (惩), one module per aggregate; import them from their modules:

- ``listing``: proposing, approving, extending a dishonest listing (失信规定 2017 arts. 1–5);
- ``removal``: removal events and the removal job (art. 10), early deletion, revocation;
- ``restrictions``: consumption and exit restrictions, lifting, temporary permission (限制消费规定 2015);
- ``corrections``: correction requests and their deadlines (arts. 11–12);
- ``portal``: the party portal's query codes;
- ``feed`` (``credit.feed``): the credit feed's events.
"""
