pytest_plugins = ["tests.browser"]

import pytest

from tests.factories import EDITOR_PERMS, make_user


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(db):
    return make_user("editor", perms=EDITOR_PERMS)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
