import nox


@nox.session(python=["3.9", "3.12"])
def tests(session):
    session.install(".[testing]")
    session.run("pytest")
