"""Background jobs run immediately in tests, inside the caller's transaction."""
from app.jobs import huey, job
from app.models import Counter
from app.services.counters import next_value


@job
def bump(scope):
    return next_value(scope)


def test_jobs_run_immediately_in_tests(app, db):
    assert huey.immediate
    assert bump("job-test").get() == 1
    assert bump("job-test").get() == 2
    assert db.session.get(Counter, "job-test").value == 2
