"""The open source program office's view: which upstreams need help, what our people gave back.

Pure domain code (no Textual, no network): the team file (:mod:`.team`), the searches that
count contributions, planned to GitHub's query limits (:mod:`.queries`), the counting itself over
plain records so a learner's own record and the forge's answers count the same way
(:mod:`.counting`), need signals of upstream projects (:mod:`.signals`) and the Markdown, CSV and
JSON a quarterly review reads (:mod:`.render`).
"""
