/**
 * `repair (--config F | --preset P) [--property NAME]... [--json] [--write FILE]`: the smallest set of
 * config changes, out of those the properties declare (their advice as patches), that makes every chosen
 * violated property hold (every violated one when none is named) with nothing else worse. The
 * combinations are tried fewest changes first, each changed config checked exactly as `check` checks a
 * config (`pgp/checked-change.ts`, `checker/smallest-change.ts`); the repair is printed as a diff of the
 * config and `--write` writes the repaired config. When no combination is enough it says so, with the
 * best partial result. Exit 0 when it found a repair (or there was nothing to repair), 1 when it found
 * none, 2 on bad input.
 */
import { oneLine } from '../io/untrusted.ts';
import { usageError } from '../io/io.ts';
import { outputTarget, writeOutput } from '../io/write.ts';
import { applyAcceptances } from '../pgp/accept.ts';
import { basisWords, type CheckedChangeJson, checkedChangeJson } from '../pgp/advice-check.ts';
import { type CheckedChange, configCheck, searchChange } from '../pgp/checked-change.ts';
import { allPatches, applyChanges, byOrigin } from '../pgp/patches.ts';
import { validateConfig, formatProblem } from '../config/validate.ts';
import { fittedJson, unifiedDiff } from '../reports/config-diff.ts';
import { terminalWidth, wrapCommand, wrapText } from '../reports/width.ts';
import { TOOL_VERSION } from '../reports/version.ts';
import { list } from '../pgp/advice.ts';
import { findProperty } from '../properties/index.ts';
import { declareCommand } from './command.ts';
import { CHECK_FLAGS, CONFIG_FLAGS, checkOptionsOf, loadOneConfig, propertyNames } from './one-config.ts';
import { fitRow, progressLine } from './progress.ts';

/** How many fields a repair may change at most, and how many changed configs it checks at most. */
export const REPAIR_MAX_PATCHES = 4;
export const REPAIR_MAX_CHECKS = 40;

export const repairCommand = declareCommand({
  name: 'repair',
  usage: '(--config FILE | --preset NAME) [--property NAME]... [--json] [--write FILE] [--max-states N] [--runs N] [--seed N] [--workers N]',
  summary: `The smallest set of config changes (out of those the properties' advice declares) that makes every chosen violated property hold, or every violated one when none is named, with nothing else worse: combinations tried fewest changes first, each changed config checked as check checks one. Prints the changes as a diff of the config. Exit 0: a repair found (or nothing to repair); 1: none found (the best partial result is shown); 2: bad input.`,
  flags: {
    ...CONFIG_FLAGS,
    property: { type: 'string', multiple: true, value: 'NAME', help: 'repair this violated property (repeatable; default: every violated one)' },
    json: { type: 'boolean', help: 'one JSON document on stdout' },
    write: { type: 'string', value: 'FILE', help: 'write the repaired config to FILE (never over the config it repairs)' },
    ...CHECK_FLAGS,
  },
  async run({ values }, io) {
    const named = propertyNames(values.property);
    for (const name of named)
      if (findProperty(name)?.kind === 'sometimes') throw usageError(`--property: ${name} is a guard (a state the search must reach), not a promise to repair`);
    // Checked before any work: a file that cannot be written, or the config being repaired itself, is a usage error.
    const target = values.write === undefined ? undefined : outputTarget('--write', values.write, [values.config]);
    const one = loadOneConfig('repair', values, io);
    const { options, workers } = checkOptionsOf(values);
    const config = one.loaded.config;
    const progress = progressLine(io, !values.json);
    const width = terminalWidth();
    const started = performance.now();
    const check = configCheck(options, workers);
    progress.update(fitRow(`repair: checking ${one.label} as check does`, width));
    const original = applyAcceptances(config, one.loaded.accept, await check(config)).results;
    const violated = original.filter((r) => r.verdict === 'violated' && r.kind !== 'sometimes');
    const targets = named.length > 0 ? named.filter((n) => violated.some((r) => r.property === n)) : violated.filter((r) => !r.accepted).map((r) => r.property);
    const holding = named.filter((n) => !targets.includes(n));
    const accepted = named.length > 0 ? [] : violated.filter((r) => r.accepted).map((r) => r.property);
    const candidates = allPatches(config);
    let search: Awaited<ReturnType<typeof searchChange>> | undefined;
    if (targets.length > 0)
      search = await searchChange(config, original, targets, check, {
        candidates,
        maxSize: REPAIR_MAX_PATCHES,
        maxChecks: REPAIR_MAX_CHECKS,
        onChecked: (c, n) => progress.update(fitRow(`repair: ${n} changed configs checked, the last with ${c.changes.length} change${c.changes.length === 1 ? '' : 's'}; ${((performance.now() - started) / 1000).toFixed(1)} s`, width)),
      });
    progress.done();
    const found = search?.found;
    const repairedDocument = found === undefined ? undefined : applyChanges(one.document, found.changes);
    if (repairedDocument !== undefined) {
      // The repaired document must load as the config that was checked (a change made on the resolved config, applied to the file as written).
      const reloaded = validateConfig(repairedDocument);
      if (!reloaded.ok) throw new Error(`internal error: the repaired config is invalid: ${reloaded.errors.map(formatProblem).join('; ')}`);
    }
    if (target !== undefined && repairedDocument !== undefined) writeOutput(target, `${fittedJson(repairedDocument, 100)}\n`);
    const status = targets.length === 0 || found !== undefined ? 0 : 1;
    const seconds = (performance.now() - started) / 1000;
    const best = found ?? search?.best;
    if (values.json) {
      const json = (c: CheckedChange | undefined): (CheckedChangeJson & { readonly config: unknown }) | null =>
        c === undefined ? null : { ...checkedChangeJson(config, c), config: applyChanges(one.document, c.changes) };
      io.out(
        JSON.stringify(
          {
            summary: { ok: status === 0, repaired: found !== undefined, version: TOOL_VERSION },
            config: config.name,
            // The config as written (a preset's, as it is declared): what `repair.config` changes.
            before: one.document,
            seed: options.seed,
            runs: options.runs,
            targets,
            alreadyHolding: holding,
            accepted,
            candidates: candidates.map(({ summary, by, source, changes }) => ({ summary, by, source, changes: changes.map((c) => ({ path: c.path, was: c.was ?? null, value: c.value ?? null })) })),
            checked: search?.checked.length ?? 0,
            exhausted: search?.exhausted ?? true,
            basis: basisWords(original),
            repair: json(found),
            best: found === undefined ? json(search?.best) : null,
            written: values.write !== undefined && repairedDocument !== undefined ? values.write : null,
            seconds,
          },
          null,
          2,
        ),
      );
      return status;
    }
    const out: string[] = [
      wrapText(
        `pgp-cluster-check repair: ${one.label}; each changed config checked as check checks one: every reachable state where it fits ${(options.maxStates ?? 0).toLocaleString('en-US')} states (what time decides with time passing), otherwise random search from seed ${options.seed}`,
        width,
        '',
        '  ',
      ),
    ];
    if (holding.length > 0) out.push(wrapText(`Not violated, nothing to repair: ${list(holding)}.`, width));
    if (accepted.length > 0) out.push(wrapText(`Accepted on purpose, left as they are: ${list(accepted)} (name one with --property to repair it).`, width));
    if (targets.length === 0) {
      const why = named.length > 0 ? 'no property named is violated' : violated.length === 0 ? 'no property is violated' : 'every violation is accepted';
      out.push(wrapText(`Nothing to repair: ${why} (${basisWords(original)}).`, width));
      io.out(out.join('\n'));
      return 0;
    }
    out.push(wrapText(`Violated: ${list(targets)}. The properties' advice declares ${candidates.length} config change${candidates.length === 1 ? '' : 's'} for this config; ${search!.checked.length} combination${search!.checked.length === 1 ? '' : 's'} checked, fewest changes first.`, width));
    out.push('');
    if (found !== undefined) {
      out.push(
        wrapText(
          `The smallest repair, ${found.changes.length} change${found.changes.length === 1 ? '' : 's'}: checked, ${list(found.fixed)} ${found.fixed.length === 1 ? 'holds' : 'hold'} and nothing else gets worse (${basisWords(found.results)}).`,
          width,
        ),
      );
    } else {
      const why = search!.exhausted
        ? `No combination of up to ${REPAIR_MAX_PATCHES} of the declared changes makes ${list(targets)} hold with nothing worse (every combination checked).`
        : `No repair found within ${REPAIR_MAX_CHECKS} checked combinations.`;
      out.push(wrapText(why, width));
      if (best !== undefined)
        out.push(
          wrapText(
            `The best partial result, ${best.changes.length} change${best.changes.length === 1 ? '' : 's'}: ${best.fixed.length === 0 ? 'fixes nothing' : `${list(best.fixed)} ${best.fixed.length === 1 ? 'holds' : 'hold'}`}${best.unfixed.length > 0 ? `; still violated: ${list(best.unfixed)}` : ''}${best.worse.length > 0 ? `; worse: ${list(best.worse.map((w) => `${w.property} (${w.before} -> ${w.after})`))}` : ''} (${basisWords(best.results)}).`,
            width,
          ),
        );
    }
    if (best !== undefined) {
      for (const text of byOrigin(best.patches)) out.push(wrapText(text, width, '  ', '    '));
      out.push('');
      const before = fittedJson(one.document, width - 3);
      const after = fittedJson(applyChanges(one.document, best.changes), width - 3);
      const name = values.config ?? `preset ${values.preset}`;
      out.push(unifiedDiff(before, after, { before: name, after: `${name} (${found !== undefined ? 'repaired' : 'partly repaired'})` }));
    }
    if (found !== undefined) {
      out.push('');
      if (values.write !== undefined) {
        out.push(wrapText(`Wrote the repaired config to ${oneLine(values.write)}. To review it as a change:`, width));
        out.push(wrapCommand(`npx pgp-cluster-check compare ${values.config ?? 'BEFORE.json'} ${values.write} --seed ${options.seed}`, width, '  '));
        if (values.config === undefined) out.push(wrapText('(BEFORE.json: the preset\'s config, which repair --json gives as "before".)', width));
      } else out.push(wrapText('--write FILE writes the repaired config; compare BEFORE AFTER reviews it as a change (for a preset, --json gives its config as "before").', width));
    }
    const changed = search?.checked.length ?? 0;
    out.push(wrapText(`(The config and ${changed} changed config${changed === 1 ? '' : 's'} checked, ${seconds.toFixed(1)} s.)`, width));
    io.out(out.join('\n'));
    return status;
  },
});
