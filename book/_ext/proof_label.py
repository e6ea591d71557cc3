"""The word that opens a proof, in the page's language, set off from the proof's text.

sphinx-proof writes the literal text "Proof. " in front of a {proof} directive's first
paragraph, in English whatever the book's language. This replaces it with the ``proof_label``
configuration value, in italics ("*Proof.*"; the Chinese edition sets 证明 in zh/_book.yml, which
scripts/zh.py reads). Used by chapter 2's proofs. Loaded through ``sphinx.local_extensions``
in _config.yml.
"""
from docutils import nodes
from sphinx.transforms import SphinxTransform

WRITTEN = "Proof. "  # what sphinx_proof.directive.ProofDirective puts before the content


class ProofLabel(SphinxTransform):
    default_priority = 500

    def apply(self):
        for admonition in self.document.findall(nodes.admonition):
            if "proof" not in admonition["classes"]:
                continue
            paragraph = next(iter(admonition.findall(nodes.paragraph)), None)
            text = paragraph.children[0] if paragraph is not None and paragraph.children else None
            if not isinstance(text, nodes.Text) or not text.startswith(WRITTEN):
                continue
            rest = nodes.Text(text[len(WRITTEN):])
            paragraph.replace(text, rest)
            paragraph.insert(0, nodes.emphasis(text=self.config.proof_label))
            paragraph.insert(1, nodes.Text(" "))


def setup(app):
    app.add_config_value("proof_label", "Proof.", "env")
    app.add_transform(ProofLabel)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
