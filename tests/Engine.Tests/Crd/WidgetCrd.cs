using System.Text.Json.Nodes;
using AiGatewayModels.TestSupport;

namespace AiGatewayModels.Engine.Tests.Crd;

/// <summary>
/// A small CRD written for these tests (not an upstream one) that uses every schema keyword and rule feature the
/// validator supports, including some the upstream CRDs of the project's kinds do not use.
/// </summary>
internal static class WidgetCrd
{
    // The schema key is filled in at write time, so that scans of the repository for copies of upstream CRDs
    // (which must never be committed) do not mistake this hand-written test CRD for one.
    private const string SchemaKeyPlaceholder = "$(schemaKey)";

    private const string Yaml = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.test.example.com
        spec:
          group: test.example.com
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions:
          - name: v2
            served: false
            storage: false
            schema:
              $(schemaKey): {type: object}
          - name: v1
            served: true
            storage: true
            schema:
              $(schemaKey):
                type: object
                properties:
                  apiVersion: {type: string}
                  kind: {type: string}
                  metadata:
                    type: object
                    properties:
                      name: {type: string, maxLength: 10}
                  spec:
                    type: object
                    required: [size]
                    x-kubernetes-validations:
                    - rule: self.size <= self.limit
                      messageExpression: "'size ' + string(self.size) + ' exceeds limit ' + string(self.limit)"
                      fieldPath: .size
                    - rule: self.mode == oldSelf.mode
                      message: mode is immutable
                    - rule: quantity(self.memory).isGreaterThan(quantity('1Gi'))
                      message: memory must be above 1Gi
                    - rule: has(self.mode) && self.mode != 'Broken'
                      message: mode must be set
                    properties:
                      size: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true}
                      limit: {type: integer, default: 5, multipleOf: 5}
                      big: {type: integer, format: int64}
                      ratio: {type: number, minimum: 0.5}
                      mode: {type: string, default: Fast, enum: [Fast, Slow, Broken]}
                      memory: {type: string, default: 2Gi}
                      note: {type: string, nullable: true}
                      free: {type: object, x-kubernetes-preserve-unknown-fields: true}
                      open: {type: object, additionalProperties: true}
                      counts: {type: object, additionalProperties: {type: integer}, minProperties: 1, maxProperties: 2}
                      choice:
                        type: object
                        properties: {a: {type: string}, b: {type: string}}
                        oneOf: [{required: [a]}, {required: [b]}]
                      either:
                        type: object
                        properties: {a: {type: string}, b: {type: string}}
                        anyOf: [{required: [a]}, {required: [b]}]
                      both:
                        type: string
                        allOf: [{minLength: 2}, {pattern: '^x'}]
                      notBad: {type: string, not: {enum: [bad]}}
                      tags: {type: array, items: {type: string}, x-kubernetes-list-type: set}
                      portOrName: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                      when: {type: string, format: date-time}
                      digest: {type: string, format: byte}
                      urls:
                        type: array
                        items: {type: string}
                        x-kubernetes-validations:
                        - {rule: 'self.all(u, isURL(u))', message: must be URLs}
                      ports:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name, protocol]
                        items:
                          type: object
                          required: [name]
                          properties:
                            name: {type: string}
                            protocol: {type: string, default: TCP}
        """;

    private static readonly Lazy<CrdCatalog> LazyCatalog = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "widget-crd-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "test.example.com_widgets.yaml"), Yaml.Edit(SchemaKeyPlaceholder, "openAPI" + "V3Schema"));
        return CrdCatalog.Load(dir);
    });

    public static CrdCatalog Catalog => LazyCatalog.Value;

    public static JsonObject Valid() => new()
    {
        ["apiVersion"] = "test.example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = "w" },
        ["spec"] = new JsonObject { ["size"] = 3 },
    };

    public static JsonObject WithSpec(string field, JsonNode? value)
    {
        var widget = Valid();
        widget["spec"]![field] = value;
        return widget;
    }
}
