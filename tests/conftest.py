import pytest
from django.contrib.auth.models import Group

from articles.roles import EDITORS
from tests.factories import make_section, make_user

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Tasks run where they are sent, even when REDIS_URL names a broker: no worker serves the tests
    (tests/test_tasks.py starts one where it needs it)."""
    from newsroom.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A transactional test's flush makes the content types again under new ids: forget the old ones."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty page cache: rolled-back rows must not linger in cached pages."""
    from django.core.cache import cache

    from articles.caching import local_pages

    cache.clear()
    local_pages.clear()


@pytest.fixture
def editor(db):
    """A member of the Editors group the roles migration creates."""
    user = make_user("editor")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def world(db):
    return make_section(name="World", slug="world")
