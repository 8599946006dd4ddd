"""report.docx carries no revision-session ids (w:rsid*): every one the template brings is
dropped, attributes and elements, and nothing else."""

from __future__ import annotations

import copy

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from helpers.render.word import _strip_revision_ids

W = qn("w:rsid")[1:].split("}")[0]


def _by_hand(element) -> None:
    """The plain route: every node's attributes looked at one by one."""
    for node in element.iter(etree.Element):
        for name in [a for a in node.attrib if a.startswith(qn("w:rsid"))]:
            del node.attrib[name]
    for node in list(element.iter(qn("w:rsid"), qn("w:rsids"))):
        node.getparent().remove(node)


def test_template_ids_dropped_and_the_rest_kept():
    body = Document().element
    paragraph = body.body.add_p()
    paragraph.set(qn("w:rsidR"), "00A1B2C3")
    paragraph.set(qn("w:rsidRDefault"), "00A1B2C3")
    paragraph.set("rsidForeign", "kept")  # not in the w namespace: not a revision id
    assert sum(1 for n in body.iter() for a in n.attrib if a.startswith(qn("w:rsid"))) >= 4
    expected = copy.deepcopy(body)
    _by_hand(expected)
    _strip_revision_ids(body)
    assert etree.tostring(body) == etree.tostring(expected)
    assert b"rsidR=" not in etree.tostring(body)
    assert paragraph.get("rsidForeign") == "kept"
    assert W in etree.tostring(body).decode()
