// model4.json, the model's description, checked against model4.schema.json (the same schema that
// catsdogs/onnx_export.py checks when it writes the file), and the messages the reader sees.
// No DOM and no fetch here: node --test runs this module as it is (tests/widget_js/).

// An error whose message is written for the reader (shown as it is in the page).
export class ReaderError extends Error {}

// The one place that turns any error into what the page says.
export function readerMessage(error) {
  if (error instanceof ReaderError) return error.message;
  return `Something went wrong: ${(error && error.message) || error}`;
}

function typeOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

// The problems of `value` against `schema` (a list of "where: what" strings; empty when it fits).
// Only the keywords that model4.schema.json uses (its description lists them), with JSON Schema's
// meaning; catsdogs/onnx_export.py's validate() is the same function in Python.
export function validate(schema, value, where = "model4.json") {
  const type = typeOf(value);
  if (schema.const !== undefined && value !== schema.const) return [`${where}: must be ${JSON.stringify(schema.const)}`];
  if (schema.type !== undefined) {
    const allowed = [].concat(schema.type);
    if (!allowed.includes(type) && !(type === "integer" && allowed.includes("number"))) {
      return [`${where}: must be ${allowed.join(" or ")}, not ${type}`];
    }
  }
  const problems = [];
  if (type === "object") {
    for (const key of schema.required || []) {
      if (!(key in value)) problems.push(`${where}: "${key}" is missing`);
    }
    for (const [key, inner] of Object.entries(schema.properties || {})) {
      if (key in value) problems.push(...validate(inner, value[key], `${where}.${key}`));
    }
  } else if (type === "array") {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${where}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${where}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, index) => problems.push(...validate(schema.items, item, `${where}[${index}]`)));
  } else if (type === "integer" || type === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${where}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${where}: above ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) problems.push(`${where}: not above ${schema.exclusiveMinimum}`);
  } else if (type === "string") {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) problems.push(`${where}: does not match ${schema.pattern}`);
  }
  return problems;
}

// The description as the widget uses it: checked, with the input's height and width at hand.
export function readDescription(description, schema) {
  const problems = validate(schema, description);
  if (problems.length) {
    throw new ReaderError(`The model description (model4.json) does not fit the widget: ${problems.slice(0, 3).join("; ")}.`);
  }
  const [, height, width] = description.input.shape;
  return { ...description, height, width };
}

// Bytes as the reader reads them: "2.4 MB".
// A probability as the widgets show it: whole percent, never "100%" or "0%" for a model's guess.
export function percent(probability) {
  const value = Math.round(probability * 100);
  if (value >= 100) return ">99%";
  if (value <= 0) return "<1%";
  return `${value}%`;
}

export function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
