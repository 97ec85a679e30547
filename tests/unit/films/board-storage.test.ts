import { describe, expect, it } from 'vitest';
import { blankBoard } from '../../../src/films/board';
import { BOARD_STORAGE_KEY, loadBoard, saveBoard } from '../../../src/films/board-storage';

/** An in-memory Storage (Node has no localStorage) that can be told it is full, as a browser's quota would. */
class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  full = false;
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    if (this.full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.items.set(key, value);
  }
}

describe('board storage', () => {
  it('keeps the board and gives it back', () => {
    const storage = new MemoryStorage();
    expect(loadBoard(storage)).toBeNull();
    const board = { ...blankBoard(9), title: 'Kept' };
    expect(saveBoard(storage, board)).toBeNull();
    expect(loadBoard(storage)).toEqual(board);
  });

  it('says so when the browser will not keep it', () => {
    const storage = new MemoryStorage();
    storage.full = true;
    expect(saveBoard(storage, blankBoard())).toContain('use Download board to keep it');
  });

  it('sets aside a kept board it cannot read, naming why', () => {
    const storage = new MemoryStorage();
    const newer = JSON.stringify({ version: 2, shots: [] });
    storage.setItem(BOARD_STORAGE_KEY, newer);
    expect(loadBoard(storage)).toEqual({ problem: expect.stringContaining('version: this board is version 2') });
    expect(storage.getItem(BOARD_STORAGE_KEY)).toBeNull();
    expect(storage.getItem(`${BOARD_STORAGE_KEY}-unreadable`)).toBe(newer);
  });
});
