import { defineGroup } from '../../src/chat/command.ts';
import answer from './answer.ts';
import assign from './assign.ts';
import confirm from './confirm.ts';
import evidence from './evidence.ts';
import exportCase from './export.ts';
import follow from './follow.ts';
import listCommand from './list.ts';
import mine from './mine.ts';
import move from './move.ts';
import note from './note.ts';
import open from './open.ts';
import retract from './retract.ts';
import status from './status.ts';
import submit from './submit.ts';

export default defineGroup({
  name: 'case',
  description: 'Tracked cases: from research to submission to designation',
  subcommands: [
    open,
    status,
    move,
    assign,
    submit,
    answer,
    note,
    evidence,
    retract,
    listCommand,
    mine,
    follow,
    exportCase,
    confirm,
  ],
});
