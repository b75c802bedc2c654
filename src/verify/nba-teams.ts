/**
 * Basketball knowledge the box score does not carry: each NBA franchise's
 * location, nickname, abbreviation and the names its home arena has had since
 * about 2000 (a venue named in a draft must be the home team's arena under one
 * of its names). General league knowledge, not facts of any one game.
 */
export interface NbaTeam {
  location: string;
  /** Other ways feeds write the location ("LA" for the Clippers). */
  locationAliases: readonly string[];
  name: string;
  abbreviation: string;
  /** Home arena names, oldest first. */
  arenas: readonly string[];
}

const t = (
  location: string,
  name: string,
  abbreviation: string,
  arenas: string[],
  locationAliases: string[] = [],
): NbaTeam => ({ location, name, abbreviation, arenas, locationAliases });

export const NBA_TEAMS: readonly NbaTeam[] = [
  t('Atlanta', 'Hawks', 'ATL', ['Philips Arena', 'State Farm Arena']),
  t('Boston', 'Celtics', 'BOS', ['FleetCenter', 'TD Banknorth Garden', 'TD Garden']),
  t('Brooklyn', 'Nets', 'BKN', ['Barclays Center']),
  t('Charlotte', 'Hornets', 'CHA', ['Charlotte Bobcats Arena', 'Time Warner Cable Arena', 'Spectrum Center']),
  t('Chicago', 'Bulls', 'CHI', ['United Center']),
  t('Cleveland', 'Cavaliers', 'CLE', ['Quicken Loans Arena', 'Rocket Mortgage FieldHouse']),
  t('Dallas', 'Mavericks', 'DAL', ['American Airlines Center']),
  t('Denver', 'Nuggets', 'DEN', ['Pepsi Center', 'Ball Arena']),
  t('Detroit', 'Pistons', 'DET', [
    'The Palace of Auburn Hills',
    'Palace of Auburn Hills',
    'Little Caesars Arena',
  ]),
  t('Golden State', 'Warriors', 'GSW', ['Oracle Arena', 'Chase Center']),
  t('Houston', 'Rockets', 'HOU', ['Toyota Center']),
  t('Indiana', 'Pacers', 'IND', ['Conseco Fieldhouse', 'Bankers Life Fieldhouse', 'Gainbridge Fieldhouse']),
  t('Los Angeles', 'Clippers', 'LAC', ['Staples Center', 'Crypto.com Arena', 'Intuit Dome'], ['LA']),
  t('Los Angeles', 'Lakers', 'LAL', ['Staples Center', 'Crypto.com Arena'], ['LA']),
  t('Memphis', 'Grizzlies', 'MEM', ['FedExForum', 'FedEx Forum']),
  t('Miami', 'Heat', 'MIA', [
    'American Airlines Arena',
    'AmericanAirlines Arena',
    'FTX Arena',
    'Kaseya Center',
  ]),
  t('Milwaukee', 'Bucks', 'MIL', ['Bradley Center', 'BMO Harris Bradley Center', 'Fiserv Forum']),
  t('Minnesota', 'Timberwolves', 'MIN', ['Target Center']),
  t('New Orleans', 'Pelicans', 'NOP', ['New Orleans Arena', 'Smoothie King Center']),
  t('New York', 'Knicks', 'NYK', ['Madison Square Garden']),
  t('Oklahoma City', 'Thunder', 'OKC', ['Chesapeake Energy Arena', 'Paycom Center']),
  t('Orlando', 'Magic', 'ORL', ['Amway Center', 'Kia Center']),
  t('Philadelphia', '76ers', 'PHI', ['Wells Fargo Center', 'Xfinity Mobile Arena']),
  t('Phoenix', 'Suns', 'PHX', [
    'US Airways Center',
    'Talking Stick Resort Arena',
    'Phoenix Suns Arena',
    'Footprint Center',
  ]),
  t('Portland', 'Trail Blazers', 'POR', ['Rose Garden', 'Moda Center']),
  t('Sacramento', 'Kings', 'SAC', ['Sleep Train Arena', 'Golden 1 Center']),
  t('San Antonio', 'Spurs', 'SAS', ['AT&T Center', 'Frost Bank Center']),
  t('Toronto', 'Raptors', 'TOR', ['Air Canada Centre', 'Scotiabank Arena']),
  t('Utah', 'Jazz', 'UTA', [
    'EnergySolutions Arena',
    'Vivint Smart Home Arena',
    'Vivint Arena',
    'Delta Center',
  ]),
  t('Washington', 'Wizards', 'WAS', ['Verizon Center', 'Capital One Arena']),
];

/** The franchise with this nickname ("Celtics"), if any. */
export function nbaTeamByName(name: string): NbaTeam | undefined {
  const key = name.trim().toLowerCase();
  return NBA_TEAMS.find((team) => team.name.toLowerCase() === key);
}

/** Every NBA arena name with the nickname of the team playing there. */
export function nbaArenas(): { arena: string; team: string }[] {
  return NBA_TEAMS.flatMap((team) => team.arenas.map((arena) => ({ arena, team: team.name })));
}
