import type { Sport } from '../../domain/league.ts';
import type { Context } from '../context.ts';
import type { KindTemplates, Phrase } from './types.ts';

const START: Record<Sport, string> = {
  basketball: 'Tip-off',
  football: 'Kickoff',
  baseball: 'First pitch',
  hockey: 'Puck drop',
};

function extras(c: Context): string[] {
  const out: string[] = [];
  const g = c.event.game;
  if (g.note) out.push(`${g.note.replace(/[.\s]+$/, '')}.`);
  if (g.venue?.name) out.push(`At ${g.venue.name}.`);
  if (c.away.record && c.home.record) {
    out.push(`Records: ${c.away.name} (${c.away.record}), ${c.home.name} (${c.home.record}).`);
  }
  return out;
}

/** game_start: the matchup, then series note, venue and records when the facts have them. */
export const gameStart: KindTemplates = {
  favoured: (c) => c.own,
  phrasings(c) {
    const start = START[c.sport];
    const { away, home } = c;
    const ex = extras(c);
    const list: Phrase[] = [];
    if (c.own && c.opp) {
      const verb = c.own.id === home.id ? 'host' : 'visit';
      list.push({
        id: 'game_start.team-start',
        main: `${start}: ${c.own.name} ${verb} the ${c.opp.name}.`,
        extras: ex,
      });
      list.push({
        id: 'game_start.team-underway',
        main: `${c.own.displayName} are underway against the ${c.opp.name}.`,
        extras: ex,
      });
      list.push({
        id: 'game_start.team-game-on',
        main: `Game on: ${c.own.name} vs. ${c.opp.name}.`,
        extras: ex,
      });
      return list;
    }
    list.push({ id: 'game_start.at', main: `${start}: ${away.name} at ${home.name}.`, extras: ex });
    list.push({
      id: 'game_start.underway',
      main: `${away.displayName} and ${home.displayName} are underway.`,
      extras: ex,
    });
    const city = c.event.game.venue?.city;
    list.push({
      id: 'game_start.game-on',
      main: city
        ? `Underway in ${city}: ${away.name} at ${home.name}.`
        : `Game on: ${away.name} at ${home.name}.`,
      extras: ex,
    });
    return list;
  },
};
