/** JSON Schema keywords that editors read (VS Code's JSON language service) and that validators such as ajv must be told to ignore. */
export const EDITOR_KEYWORDS = ['markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions', 'patternErrorMessage', 'errorMessage'] as const;
