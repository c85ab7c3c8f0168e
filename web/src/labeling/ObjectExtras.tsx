import type { Answers, AttributeAnswer, Question } from "../schema";
import { QuestionForm } from "./QuestionForm";

interface Props {
  objectId: string;
  mode: "label" | "review";
  /** The class's per-object questions and this object's answers. */
  questions: readonly Question[];
  answers: Answers;
  onAnswer: (questionId: string, answer: AttributeAnswer | null) => void;
  /** Open required questions of the whole task, as `objectId:questionId` for objects. */
  missing: ReadonlySet<string>;
  /** The reviewer's comment on this object (shown to the labeler). */
  note: string | undefined;
  /** The reviewer's comment being written (review mode). */
  comment: string;
  setComment: (text: string) => void;
  /** What the object is called in the placeholder ("object", "span"). */
  noun: string;
}

/** Under a selected object in a side panel: the reviewer's note, its questions, the review comment box. */
export function ObjectExtras({ objectId, mode, questions, answers, onAnswer, missing, note, comment, setComment, noun }: Props) {
  const prefix = `${objectId}:`;
  return (
    <>
      {note && mode === "label" && <p className="object-note">Reviewer: {note}</p>}
      {questions.length > 0 && (
        <QuestionForm questions={questions} answers={answers} onAnswer={onAnswer} missing={new Set([...missing].filter((m) => m.startsWith(prefix)).map((m) => m.slice(prefix.length)))} />
      )}
      {mode === "review" && (
        <textarea
          className="object-comment"
          aria-label={`Comment on ${objectId}`}
          placeholder={`Comment on this ${noun}…`}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          onKeyDown={(e) => e.stopPropagation()}
        />
      )}
    </>
  );
}
