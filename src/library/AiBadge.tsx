/** Says, next to a clip, that a model made it (the file says so too, in its metadata). */
export function AiBadge() {
  return (
    <span className="ai-badge" title="Made by a text-to-video model; the file's metadata says so too">
      AI-generated
    </span>
  );
}
