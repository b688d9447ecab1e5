"""The contributions a learner made (claims and pull requests) and how each one is doing.

Plain data and pure functions, no Textual and no network: :mod:`.record` is what onboard keeps
in the state file, :mod:`.live` folds what the forge says about a pull request (reviews, checks,
comments) into the few facts a newcomer needs, :mod:`.rows` makes one row of *My
contributions* and ``onboard status`` from both (cached as JSON for offline), :mod:`.guidance`
is what to say when nobody answers, and :mod:`.counted` counts the record with the OSPO view's
own counting.
"""
