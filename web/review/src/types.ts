// Shapes of the API's JSON (docs/review.md, docs/api.md, docs/output-schema.md).

export type BBox = [number, number, number, number];

export interface Word {
  text: string;
  bbox: BBox;
  confidence: number;
}

export interface Line {
  bbox: BBox;
  text: string;
  confidence: number;
  words: Word[];
}

export interface Block {
  type: string;
  bbox: BBox;
  confidence: number;
  reading_order: number;
  lines: Line[];
}

export interface Page {
  number: number;
  width: number;
  height: number;
  text: string;
  confidence: number;
  blocks: Block[];
}

export interface ResultField {
  name: string;
  value: string;
  normalized: string;
  confidence: number;
  validator_status: string;
  validator_detail?: string;
  page: number;
  bbox: BBox;
  needs_review?: boolean;
  source?: string;
}

/** A field as it stands (GET and PATCH /ocr/jobs/{id}/fields), reviewers' edits included. */
export interface JobField {
  name: string;
  value: string;
  normalized: string;
  confidence: number;
  validator_status: string;
  page: number;
  source: string;
}

export interface FieldsResponse {
  job_id: string;
  fields: JobField[];
}

export interface ResultLineItem {
  description: string;
  quantity: string;
  unit_price: string;
  amount: string;
  page: number;
  bbox: BBox;
}

export interface Result {
  engine?: { name: string; version: string };
  extractor_version?: string;
  doc_type?: string;
  fields?: ResultField[];
  line_items?: ResultLineItem[];
  pages: Page[];
  review?: { threshold: number; fields_needing_review: number };
}

export type ReviewStatus = 'not_needed' | 'to_review' | 'in_review' | 'approved' | 'rejected';

export interface Review {
  status: ReviewStatus;
  reasons: string[];
  claimed_by: string;
  claim_expires_at: number;
  decided_by: string;
  decided_at: number;
  reason_code: string;
  comment: string;
}

export interface Job {
  id: string;
  doc_type: string;
  status: string;
  page_count: number;
  trace_id: string;
  completed_at: number;
  review?: Review;
}

export interface QueueItem {
  job_id: string;
  doc_type: string;
  status: ReviewStatus;
  reasons: string[];
  min_confidence: number;
  completed_at: number;
  claimed_by: string;
  claim_expires_at: number;
  trace_id: string;
}

export interface QueueResponse {
  items: QueueItem[];
  counts: Partial<Record<ReviewStatus, number>>;
  next_cursor: string;
  reject_reasons?: string[];
}

/** A field as the panel shows it: the result's layout plus the current (reviewed) value. */
export interface FieldModel {
  name: string;
  value: string;
  normalized: string;
  confidence: number;
  validator_status: string;
  validator_detail: string;
  page: number;
  bbox: BBox | null;
  needs_review: boolean;
  reasons: string[];
  source: string;
}
