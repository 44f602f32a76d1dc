"""Build hook: the wheel's newsroom package carries the project's templates/ and static/.

They stay at the top of the repository (where editors and designers look for them);
``newsroom.settings`` finds them there in a checkout and in ``newsroom/_site/`` once
installed.  ``_site`` rather than ``templates``/``static`` so Django's app-directory
loaders do not find every file a second time.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SITE_FOLDERS = ("templates", "static")


class BuildPyWithSiteFiles(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's own folders
            return
        for name in SITE_FOLDERS:
            shutil.copytree(ROOT / name, Path(self.build_lib) / "newsroom" / "_site" / name, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithSiteFiles})
