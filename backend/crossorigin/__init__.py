"""The lab's teaching models, in pure Python: the standard library and publicsuffixlist, never Django
nor the lab's apps (tests/test_purity.py checks it), so that each can be read, tested and reused on
its own.

- fetch/: the Fetch standard's CORS rules and where Chromium, Firefox and WebKit depart from them;
- cookies.py: which cookie a browser sends with which request (the SameSite matrix);
- sites.py: origins and sites, with the Public Suffix List;
- translation.py: how their sentences reach the reader's language.
"""
