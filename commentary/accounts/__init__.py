"""Accounts: a member's own data (``export``) and leaving the site (``deletion``).

A package shadows the module of the same name, and ``commentary/accounts.py`` (profiles:
``profile_ensure``, ``profile_update`` and the receiver that gives every user a profile)
has not moved into this package on this branch. So that ``commentary.accounts`` keeps
answering for it, its file is loaded here once. When the module moves into the package
(``commentary/accounts/profiles.py``), this file becomes empty.
"""

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "commentary._profiles", Path(__file__).resolve().parent.parent / "accounts.py"
)
_profiles = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _profiles
_spec.loader.exec_module(_profiles)

profile_ensure = _profiles.profile_ensure
profile_update = _profiles.profile_update
create_profile_with_user = _profiles.create_profile_with_user
