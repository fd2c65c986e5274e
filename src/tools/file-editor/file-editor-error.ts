/**
 * A failure the model should read (file not found, `old_str` not unique, ...). The file
 * editor turns it into an error observation (`isError: true`) with this message.
 */
export class FileEditorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
