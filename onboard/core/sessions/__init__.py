"""Mentor sessions: session files, checkpoints, guided mode's agenda, reports and cohorts."""
