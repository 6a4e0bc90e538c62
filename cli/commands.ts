/**
 * The commands declared once (`cli/command.ts`): their help, their line in the overview, their parser
 * and their dispatch all come from the declaration. `repair`, `tolerance` and `plan`.
 */
import type { DeclaredCommand } from './command.ts';
import { repairCommand } from './repair.ts';
import { toleranceCommand } from './tolerance.ts';
import { planCommand } from './plan.ts';

export const DECLARED_COMMANDS: readonly DeclaredCommand[] = [repairCommand, toleranceCommand, planCommand];
