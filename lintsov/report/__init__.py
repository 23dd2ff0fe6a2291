"""Reports: one module per output format, each a ``render(report) -> str``. A format
written as UTF-8 JSON also has ``render_bytes(report) -> bytes``, the same report as the
bytes of its file, which the command line writes: a large report is then never decoded to
text only to be encoded again."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lintsov import environment, repository
from lintsov.finding import Finding
from lintsov.inventory import Inventory
from lintsov.pipeline import ALL_INPUTS, Outcome
from lintsov.policy import Policy
from lintsov.rules import Rule
from lintsov.setting import Applied

NO_CONFIG = "no config file"
VIA_SHOW = " (via show -json)"


@dataclass(frozen=True)
class Report:
    """Everything a format needs: the outcome, the rules that ran, and the repository root
    that file paths are written relative to.

    The outcome records the config file and policy each input was judged by. ``policy`` is
    for an outcome that records none (one built by hand): every input was judged by it."""

    outcome: Outcome
    policy: Policy | None
    fail_on: str
    rules: Mapping[str, Rule]
    root: Path

    @cached_property
    def configs(self) -> tuple[Applied, ...]:
        """The config files that applied, each with its policy and inputs, in input order."""
        if self.outcome.configs:
            return self.outcome.configs
        outcome = self.outcome
        named = (*(i.path for i in outcome.inventories), *(u.input for u in outcome.unreadable))
        return (Applied(None, self.policy or Policy(), named),)

    @cached_property
    def _by_input(self) -> dict[str, Applied]:
        by_input = {path: config for config in self.configs for path in config.inputs}
        # A finding about a config file's own waivers names the config file as its input,
        # as the waiver does (relative to the current folder).
        by_input.update(
            (os.path.relpath(config.config), config)
            for config in self.configs
            if config.config is not None
        )
        # A finding on all inputs together (--aggregate) was judged by their one config.
        if len(self.configs) == 1:
            by_input[ALL_INPUTS] = self.configs[0]
        return by_input

    def config_of(self, input_path: str) -> Applied | None:
        """The config that applied to an input, as findings name it (a config file, for a
        finding about its own waivers); None for a name that is neither."""
        return self._by_input.get(input_path)

    def config_file(self, config: Applied) -> str | None:
        """The config file relative to the repository root; None: no config file."""
        return self.relative(config.config) if config.config is not None else None

    def config_name(self, config: Applied) -> str:
        """The config file relative to the repository root, or ``no config file``."""
        return self.config_file(config) or NO_CONFIG

    def config_label(self, config: Applied) -> str:
        """``config: envs/prod/.lintsov.yaml``, or ``no config file``."""
        file = self.config_file(config)
        return f"config: {file}" if file is not None else NO_CONFIG

    @property
    def profile(self) -> str | None:
        """The profile every input was judged by; None when the config files disagree."""
        profiles = {config.policy.profile for config in self.configs}
        return profiles.pop() if len(profiles) == 1 else None

    @property
    def blocked(self) -> list[str] | None:
        """The jurisdictions every input's policy blocks; None when the config files
        disagree."""
        blocked = {tuple(sorted(config.policy.blocked)) for config in self.configs}
        return list(blocked.pop()) if len(blocked) == 1 else None

    def counts_unclassified(self, input_path: str) -> bool:
        """Whether the input's policy counts data-holding resources nobody classified as
        sensitive (sensitive.unclassified)."""
        config = self.config_of(input_path)
        return config is not None and config.policy.unclassified == "sensitive"

    def ran(self, rule_id: str) -> bool:
        """Whether the rule ran on some input: a policy did not disable it."""
        return any(c.policy.enables(rule_id, self._by_default(rule_id)) for c in self.configs)

    def ran_on(self, rule_id: str, input_path: str) -> bool:
        """Whether the rule ran on an input: its policy did not disable it."""
        config = self.config_of(input_path)
        return config is not None and config.policy.enables(rule_id, self._by_default(rule_id))

    def _by_default(self, rule_id: str) -> bool:
        rule = self.rules.get(rule_id)
        return rule is None or rule.default_enabled

    @cached_property
    def unclassified(self) -> int:
        """Data-holding resources nobody classified: the gap in what lintsov could judge."""
        return sum(1 for i in self.outcome.inventories for r in i.resources if r.unclassified)

    @property
    def verdict(self) -> str:
        """``error`` when an input could not be read (never ``pass`` on input not read),
        else ``fail`` or ``pass`` by the findings."""
        if self.outcome.unreadable:
            return "error"
        return "fail" if self.outcome.fails(self.fail_on) else "pass"

    def relative(self, path: str) -> str:
        """``path`` relative to the repository root, with ``/``; as given when outside it."""
        # Asked for every finding's file, input and anchor, with few distinct paths in a
        # run, and pathlib is slow (3 s of a 50k-resource SARIF report). The answer depends
        # on the path, this report's root and the current folder (a relative path is made
        # absolute from it): the key holds the two that can vary.
        key = (path, os.getcwd())
        known = self._relative_paths.get(key)
        if known is None:
            known = self._relative_paths[key] = repository.relative(path, self.root)
        return known

    @cached_property
    def _relative_paths(self) -> dict[tuple[str, str], str]:
        return {}

    def input_file(self, input_path: str) -> str:
        """The file that stands for an input, relative to the root: an environment's
        variables file (``infra (prod.tfvars)`` is no file), else the input itself."""
        var_file = environment.parse(input_path).var_file_path()
        return self.relative(input_path if var_file is None else var_file)

    def artifact(self, finding: Finding) -> tuple[str, int | None, int | None]:
        """The file a finding points at, relative to the root, with its lines when known:
        the .tf block when lintsov knows the source, else the input's anchor (a finding
        about all inputs together: the first input's), else the input itself."""
        if finding.location is not None:
            location = finding.location
            return self.relative(location.file), location.line, location.end_line
        anchors = self.anchors(finding)
        if anchors:
            return anchors[0][0], anchors[0][1], None
        if finding.input == ALL_INPUTS:
            # No input has a block to point at: the finding is about no one file.
            return "", None, None
        return self.input_file(finding.input), None, None

    def anchors(self, finding: Finding) -> list[tuple[str, int | None]]:
        """Where a finding without a block of its own points, as (file, line): its input's
        anchor (lintsov.anchor; a plan's is the plan file, no line), or with ``--aggregate``
        each input's, in input order. Empty when the input has none (a folder without a
        block)."""
        if finding.location is not None:
            return []
        paths = (
            [i.path for i in self.outcome.inventories]
            if finding.input == ALL_INPUTS
            else [finding.input]
        )
        return [anchor for path in paths if (anchor := self.anchor(path)) is not None]

    def anchor(self, input_path: str) -> tuple[str, int | None] | None:
        """The input's anchor relative to the root with its line; an environment's is its
        variables file and a plan's the plan file, with no line (formats that need one use
        1, the file as a whole); None for an input lintsov read no block of, or did not
        read."""
        # Asked for every finding without a block of its own. The answer depends on the
        # input's name and inventory (fixed for this report) and on relative()'s current
        # folder: the key holds the name and the folder.
        key = (input_path, os.getcwd())
        if key not in self._anchors:
            self._anchors[key] = self._anchor(input_path)
        return self._anchors[key]

    @cached_property
    def _anchors(self) -> dict[tuple[str, str], tuple[str, int | None] | None]:
        return {}

    def _anchor(self, input_path: str) -> tuple[str, int | None] | None:
        inventory = self._inventories.get(input_path)
        if inventory is None:
            return None
        if environment.parse(input_path).var_file_path() is not None:
            # An environment (`infra (prod.tfvars)`) is told from its folder's other
            # environments by its variables file, a file to point at.
            return self.input_file(input_path), None
        if inventory.anchor is not None:
            return self.relative(inventory.anchor.file), max(inventory.anchor.line, 1)
        if inventory.kind == "plan":
            # A binary plan is named "plan.tfplan (via show -json)": the file is the plan.
            return self.relative(inventory.path.removesuffix(VIA_SHOW)), None
        return None

    @cached_property
    def _inventories(self) -> dict[str, Inventory]:
        return {inventory.path: inventory for inventory in self.outcome.inventories}


repository_root = repository.root
