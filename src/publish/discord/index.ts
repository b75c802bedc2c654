export * from './discord.ts';
