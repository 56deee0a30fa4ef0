// Tags: short labels a user gives a server ("gpu", "rack-3", "lab") or a source gives its hosts (a vStats
// hub's location), by which the overview groups and filters hosts. One vocabulary for the servers file,
// the hub's API and the page. Pure.

import { z } from 'zod';

/** Tags one server carries at most. */
export const MAX_TAGS = 16;
export const MAX_TAG_LENGTH = 40;

/** No commas: a comma separates tags where they are typed. */
export const tagSchema = z
  .string()
  .trim()
  .min(1, 'a tag cannot be empty')
  .max(MAX_TAG_LENGTH, `a tag is at most ${MAX_TAG_LENGTH} characters`)
  .refine((tag) => !tag.includes(','), 'a tag cannot hold a comma');

export const tagsSchema = z.array(tagSchema).max(MAX_TAGS, `at most ${MAX_TAGS} tags`);

export class TagError extends Error {}

/** "gpu, rack-3 , lab" as typed in a field: its tags, each once (case aside), in the order typed. */
export function parseTagInput(text: string): string[] {
  const words = text.split(',').map((word) => word.trim()).filter((word) => word !== '');
  const parsed = tagsSchema.safeParse(uniqueTags(words));
  if (!parsed.success) throw new TagError(parsed.error.issues[0]?.message ?? 'invalid tags');
  return parsed.data;
}

/** Each tag once, compared without case; the first spelling wins. */
export function uniqueTags(tags: Iterable<string>): string[] {
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const tag of tags) {
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(tag);
  }
  return unique;
}

/** Whether a host's tags include `tag`, without case. */
export function hasTag(tags: readonly string[], tag: string): boolean {
  const wanted = tag.toLowerCase();
  return tags.some((candidate) => candidate.toLowerCase() === wanted);
}
