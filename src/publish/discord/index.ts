export * from './bot.ts';
export * from './discord.ts';
