from setuptools import find_packages, setup

setup(
    name="legacy-tool",
    version="1.4.2",
    packages=find_packages(exclude=["tests"]),
    python_requires=">=3.8",
    install_requires=["click>=8"],
    extras_require={
        "docs": ["sphinx"],
        "tests": ["pytest>=7", "pytest-mock"],
    },
)
