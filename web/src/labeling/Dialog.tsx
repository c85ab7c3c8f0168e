import { useState } from "react";

interface Props {
  title: string;
  label: string;
  placeholder: string;
  confirm: string;
  danger?: boolean;
  onConfirm: (text: string) => void;
  onCancel: () => void;
}

/** A small modal asking for one line of text (skip reason, rejection comment). Enter confirms, Esc cancels. */
export function Dialog({ title, label, placeholder, confirm, danger, onConfirm, onCancel }: Props) {
  const [text, setText] = useState("");
  return (
    <div className="modal-backdrop" onClick={onCancel}>
      <form
        className="modal"
        role="dialog"
        aria-label={title}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === "Escape") onCancel();
        }}
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) onConfirm(text.trim());
        }}
      >
        <h2>{title}</h2>
        <label>
          {label}
          <textarea autoFocus rows={3} value={text} placeholder={placeholder} onChange={(e) => setText(e.target.value)} onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              if (text.trim()) onConfirm(text.trim());
            }
          }} />
        </label>
        <div className="modal-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className={danger ? "danger" : "primary"} disabled={!text.trim()}>
            {confirm}
          </button>
        </div>
      </form>
    </div>
  );
}
