import { ballotFormText } from '../../chat/ballot-form.ts';
import { formatInvocation } from '../../chat/format.ts';
import { describeFilters, pollText, summaryParts, targetFacts } from '../../chat/present.ts';
import { digestLine } from '../../digest/compose.ts';
import type { TargetDetails } from '../../domain/targets.ts';
import type { CommandAction, View } from '../../messages.ts';

/** Plain text for a terminal. Member text is printed as typed; only control characters are removed. */
export function renderForConsole(view: View): string {
  switch (view.kind) {
    case 'error':
      return [`✖ ${view.title}`, ...view.lines.map((line) => `  ${line}`)].join('\n');
    case 'notice':
      return [
        `${view.tone === 'success' ? '✔' : 'ℹ'} ${view.title}`,
        ...view.lines.map((line) => `  ${line}`),
        ...renderActions(view.actions ?? []),
      ].join('\n');
    case 'target':
      return [...(view.headline ? [`✔ ${view.headline}`] : []), ...renderTarget(view.target)].join('\n');
    case 'target-list': {
      const { page } = view;
      const filters = describeFilters(view.filters);
      if (page.total === 0) {
        return filters ? `No targets match ${filters}.` : 'No targets yet. Propose one with /propose.';
      }
      const header = `Targets${filters ? ` (${filters})` : ''}: ${page.total}, page ${page.page} of ${page.pageCount}`;
      const rows = page.items.map((target) => `  ${summaryLine(target)}`);
      if (page.items.length === 0) rows.push('  (no targets on this page)');
      return [header, ...rows, ...renderActions(view.actions)].join('\n');
    }
    case 'duplicates':
      return [
        `⚠ "${view.proposedName}" looks like a target we already have:`,
        ...view.matches.map((target) => `  ${summaryLine(target)}`),
        '  Nothing was saved. If it is a different person or entity, propose it again with confirm:yes.',
        ...renderActions(view.actions),
      ].join('\n');
    case 'digest':
      return [
        view.title,
        ...view.sections.flatMap((section) => [
          `  ${section.heading}:`,
          ...section.entries.flatMap((entry) => [
            `    • ${digestLine(entry)}`,
            `      ${entry.link ?? entry.label}`,
          ]),
        ]),
        ...view.footer.map((line) => `  ${line}`),
        // The console has no files: the whole digest follows.
        ...(view.attachment ? ['', `--- ${view.attachment.filename} ---`, view.attachment.content] : []),
      ].join('\n');
    case 'file':
      return [
        `${view.title} (${view.filename})`,
        ...(view.summary ?? []).map((line) => `  ${line}`),
        view.content.trimEnd(),
        ...(view.images ?? []).map((image) => `(chart ${image.filename}: shown in Slack and Discord)`),
      ].join('\n');
    case 'poll': {
      const text = pollText(view.poll, view.yourBallot);
      return [
        ...(view.headline ? [`✔ ${view.headline}`] : []),
        text.title,
        `  ${text.status}`,
        ...text.options.map(
          (option) =>
            `  ${option.winner ? '★' : ' '} ${option.text}${option.score ? ` — ${option.score}` : ''}`,
        ),
        ...text.facts.map((fact) => `  ${fact}`),
        ...text.result.map((line) => `  ${line}`),
        ...text.explanation.map((line) => `    ${line}`),
        ...(text.ballots.length ? ['  Ballots:', ...text.ballots.map((line) => `    ${line}`)] : []),
        ...renderActions(view.actions),
      ].join('\n');
    }
    case 'ballot-form': {
      const text = ballotFormText(view);
      return [text.title, ...text.lines.map((line) => (line ? `  ${line}` : ''))].join('\n');
    }
    case 'help': {
      const lines = [view.title];
      for (const entry of view.entries) {
        lines.push(`  ${entry.usage.padEnd(16)} ${entry.description}${view.detailed ? '' : ''}`);
        if (!view.detailed) continue;
        lines.push(`    Who: ${entry.allowed}`);
        for (const option of entry.options) {
          const flags = [
            option.required ? 'required' : 'optional',
            option.primary ? 'may be given as free text' : '',
          ]
            .filter(Boolean)
            .join(', ');
          const choices = option.choices ? ` [${option.choices.join('|')}]` : '';
          lines.push(`    ${`${option.name}:`.padEnd(11)} ${option.description}${choices} (${flags})`);
        }
        for (const example of entry.examples) lines.push(`    e.g. ${example}`);
      }
      return [...lines, ...view.footer].join('\n');
    }
  }
}

function renderTarget(target: TargetDetails): string[] {
  const rows: Array<[string, string]> = [
    ...targetFacts(target),
    ...(target.conduct ? [['Conduct', target.conduct] as [string, string]] : []),
    ...target.evidence.map((link, index): [string, string] => [index === 0 ? 'Evidence' : '', link]),
    ['Proposed on', target.createdAt.toISOString().slice(0, 10)],
  ];
  return [
    `#${target.id} ${target.name}`,
    ...rows.map(
      ([label, value]) =>
        `  ${(label ? `${label}:` : '').padEnd(12)} ${value.replace(/\n/g, '\n               ')}`,
    ),
  ];
}

function summaryLine(target: TargetDetails): string {
  return `#${String(target.id).padEnd(4)} ${target.name} — ${summaryParts(target).join(' — ')}`;
}

function renderActions(actions: CommandAction[]): string[] {
  return actions.map((action) => `  → ${action.label}: ${formatInvocation(action.invocation)}`);
}
