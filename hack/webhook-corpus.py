#!/usr/bin/env python3
# Regenerates tests/Webhook.Tests/Corpus (values files, raw bodies, expected.tsv). Edit here, run, commit the output.
import os, json
root=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'Webhook.Tests', 'Corpus')
os.makedirs(root+'/values',exist_ok=True); os.makedirs(root+'/bodies',exist_ok=True)
rows=[]
def backend(name, host='api.openai.com', port=443, extra=''):
    return f"""  {name}:
    resourceName: {name}-svc
    schema: OpenAI
    fqdn:
      hostname: {host}
      port: {port}
    apiKeySecretRef:
      name: {name}-key
      key: apiKey
{extra}"""
def values(host='api.openai.com', port=443, b1extra='', model_extra='', gw='gatewayRef:\n  name: ai-gateway\n', tail=''):
    return gw + "backends:\n" + backend('one', host, port, b1extra) + backend('two') + f"""models:
  gpt-4:
{model_extra}    backends:
      primary:
        ref: one
      secondary:
        ref: two
""" + tail
def v(name, text, frag, status=200, allowed='false'):
    p=f'values/{name}.yaml'
    open(f'{root}/{p}','w').write(text); rows.append((p,status,allowed,frag))
def b(name, text, status, frag, allowed='-'):
    p=f'bodies/{name}.json'
    open(f'{root}/{p}','w').write(text); rows.append((p,status,allowed,frag))
# hosts: IPs and internal names
for i,h in enumerate(['169.254.169.254','10.0.0.1','127.0.0.1','192.168.1.10','0.0.0.0','"::1"','"[fd00::1]"','"2001:db8::1"','localhost','kubernetes.default.svc','api.internal','metadata','foo.cluster.local','my.localhost','redis.ns.svc','172.16.0.5','100.64.0.1','2130706433']):
    v(f'host-{i:02d}', values(host=h), 'backends.one.fqdn.hostname')
# bad hostnames
for i,h in enumerate(['"-bad.example.com"','"bad_host.example.com"','"a..b.com"','"http://api.openai.com"','"api.openai.com/v1"','"api.openai.com:443"','""','"exa mple.com"','"*.openai.com"']):
    v(f'badhost-{i:02d}', values(host=h), 'backends.one.fqdn.hostname')
# ports
for i,p in enumerate(['0','70000','-1','"443"','abc','1.5']):
    v(f'port-{i:02d}', values(port=p), 'backends.one.fqdn.port')
# bad names (model keys / resource names)
for i,n in enumerate(['Bad_Name','UPPER','-lead','trail-','a'*80,'has.dot','sp ace','ünïcode']):
    t=values().replace('  gpt-4:\n', f'  "{n}":\n',1)
    v(f'modelname-{i:02d}', t, 'models')
for i,n in enumerate(['Bad_Name','UPPER','-lead','a'*300,'x/y']):
    t=values().replace('resourceName: one-svc', f'resourceName: "{n}"')
    v(f'resourcename-{i:02d}', t, 'backends.one.resourceName')
# literal keys (credentials)
for i,(k,val) in enumerate([('apiKey','sk-proj-abcdefghijklmnopqrstuvwxyz012345'),('token','ghp_abcdefghijklmnopqrstuvwxyz0123456789'),('password','hunter2hunter2'),('secret','c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0'),('api_key','AKIAIOSFODNN7EXAMPLE'),('authorization','Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc'),('apikey','sk-ant-api03-abcdefghijklmnopqrstuvwxyz')]):
    v(f'literalkey-{i:02d}', values(b1extra=f'    {k}: "{val}"\n'), 'backends.one')
for i,val in enumerate(['sk-proj-abcdefghijklmnopqrstuvwxyz0123456789','AKIAIOSFODNN7EXAMPLE','-----BEGIN RSA PRIVATE KEY-----']):
    v(f'literalvalue-{i:02d}', values(model_extra=f'    modelMatch: "{val}"\n'), 'models.gpt-4')
# unknown fields
for i,(where,extra) in enumerate([('b','    unknownField: 1\n'),('b','    schem: OpenAI\n'),('m','    backendz: {}\n'),('m','    modelmatch: x\n')]):
    t=values(b1extra=extra) if where=='b' else values(model_extra=extra)
    v(f'unknown-{i:02d}', t, 'unknown')
v('unknown-root', values(tail='extra: 1\n'), 'extra')
v('unknown-root2', values(tail='Models: {}\n'), 'Models')
# duplicate keys
v('dupkey-00', values(tail='models: {}\n'), 'models')
v('dupkey-01', values(b1extra='    schema: OpenAI\n'), 'schema')
v('dupkey-02', 'gatewayRef:\n  name: a\n  name: b\n'+values(gw=''), 'name')
# structural / type errors
v('type-00', 'backends: []\nmodels: []\n', 'backends')
v('type-01', '[1, 2, 3]\n', 'mapping')
v('type-02', '"just a string"\n', '')
v('type-03', values().replace('ref: one','ref: [one]'), 'models.gpt-4.backends.primary.ref')
v('type-04', values().replace('ref: one','ref: nowhere'), 'models.gpt-4.backends.primary.ref')
v('type-05', values(gw=''), 'gatewayRef')
v('type-06', values(gw='gatewayRef:\n  name: "Bad Gateway"\n'), 'gatewayRef.name')
v('type-07', values().replace('      secondary:\n        ref: two\n',''), 'models.gpt-4')
v('type-08', values(model_extra='    timeout: forever\n'), 'models.gpt-4.timeout')
v('type-09', values().replace('schema: OpenAI','schema: Nope',1), 'backends.one.schema')
v('type-10', '', '')
v('type-11', '~\n', '')
v('type-12', '---\na: 1\n---\nb: 2\n', '')
v('type-13', 'a: [1, 2\n', '')
v('type-14', '\t- tabs\n', '')
v('type-15', values().replace('port: 443','port: !!str 443',1), 'port')
# issue 14: credentials in YAML syntax and inside values (fragment: the withheld marker; the test also checks that no
# planted secret comes back), names the cluster resolves, address spellings, explicit nulls, distinct backends,
# degenerate values, escapes. LEAK is the planted secret: CorpusTests asserts that no answer repeats it.
LEAK='sk-proj-Xq7bT2mN9vK4pL8wR3sY6dF1gH5jZ0cA'
for i,t in enumerate([
    values().replace('ref: one', f'ref: !{LEAK} one'),
    values().replace('ref: one', f'ref: !<tag:example.com,2024:{LEAK}> one'),
    values().replace('ref: one', f'ref: &{LEAK} one'),
    values().replace('ref: two', f'ref: *{LEAK}'),
    f'# {LEAK}\n' + values(),
    values().replace('ref: one', f'ref: one  # {LEAK}'),
    f'%TAG !k! tag:{LEAK}:\n---\n' + values().replace('ref: one', 'ref: !k!x one'),
    f'%YAML 1.2 {LEAK}\n---\n' + values(),
    values().replace('ref: one', f'ref: "one {LEAK}'),
    values().replace('ref: one', f'ref: [one, {LEAK}'),
    values(tail=f'{LEAK}: 1\n{LEAK}: 2\n'),
    values(tail=f'---\nk: {LEAK}\n'),
]):
    v(f'leak-{i:02d}', t, 'withheld')
for i,t in enumerate([
    values(model_extra='    modelMatch: "gpt-4?api-key=hunter2hunter2"\n'),
    values(model_extra='    modelMatch: "Bearer abc12345xyz"\n'),
    values(tail='rateLimitPolicy:\n  annotations:\n    example.com/auth: "Basic dXNlcjpwYXNzd29yZA=="\n'),
    values(tail=f'rateLimitPolicy:\n  defaults:\n    limits:\n      d:\n        rates: [{{limit: 1, window: "1m {LEAK}"}}]\n'),
    values().replace('ref: one', 'ref: "one sk-9f3kQ2xL"'),
    values(tail='rateLimitPolicy:\n  labels:\n    "team.example.com/sk-1234abcd": x\n'),
]):
    v(f'inner-{i:02d}', t, 'withheld')
for i,h in enumerate(['redis','redis.team-b','kubernetes.default','kube-dns.kube-system','nas.local','localhost.localdomain','ip6-localhost','nas.home.arpa','hidden.onion','127.0.0.1.nip.io','0x7f000001','127.1','"' + 'a'*70 + '.com"']):
    v(f'internal-{i:02d}', values(host=h), 'backends.one.fqdn.hostname')
for i,t in enumerate([
    values(model_extra='    enabled: ~\n'),
    values(model_extra='    enabled:\n'),
    values(port='~'),
    values().split('models:')[0] + 'models: ~\n',
    values(model_extra='    modelMatch: null\n'),
    values(model_extra='    failover:\n      retryOn:\n        triggers: ~\n'),
]):
    v(f'null-{i:02d}', t, 'is null')
v('distinct-00', values().replace('ref: two', 'ref: one'), 'distinct enabled backend(s)')
for i,(t,frag) in enumerate([
    (values(tail='rateLimitPolicy:\n  defaults:\n    limits:\n      d:\n        rates: [{limit: 1, window: 0s}]\n'), 'zero-length window'),
    (values(model_extra='    timeout: 0s\n'), 'is zero'),
    (values(b1extra='    prefix: "/v1\\0"\n'), 'backends.one.prefix'),
    (values(b1extra='    prefix: "/v1?x=1"\n'), 'backends.one.prefix'),
    (values(b1extra='    prefix: "/v1/../admin"\n'), 'backends.one.prefix'),
    (values(b1extra='    prefix: "//evil.example.com"\n'), 'backends.one.prefix'),
    (values(b1extra='    prefix: "/' + 'a'*100000 + '"\n'), 'backends.one.prefix'),
    (values(model_extra='    modelMatch: "  "\n'), 'cannot be matched'),
    (values(model_extra='    modelMatch: "gpt-4\\u200b"\n'), 'cannot be matched'),
    (values(model_extra='    modelMatch: "\\ufeffgpt-4"\n'), 'cannot be matched'),
    (values(model_extra='    failover:\n      retryOn:\n        httpStatusCodes: [' + ', '.join(['503']*20000) + ']\n'), 'at most 32'),
    (values(model_extra='    failover:\n      retryOn:\n        triggers: [reset, reset]\n'), 'listed twice'),
    (values(port='99999999999999999999'), 'out of range'),
]):
    v(f'degen-{i:02d}', t, frag)
for i,(t,frag) in enumerate([
    (values(model_extra='    modelMatch: "gpt-4\\u202egnp"\n'), '\\u202e'),
    (values(tail='"k\\u0085\\u009b31m": 1\n'), '\\u0085'),
    (values().replace('  gpt-4:\n', '  "gpt\\u2066-4":\n', 1), '\\u2066'),
]):
    v(f'escape-{i:02d}', t, frag)
# YAML bombs
lol='a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
prev='a'
for c in 'bcdefghi':
    lol+=f'{c}: &{c} [' + ','.join(['*'+prev]*9) + ']\n'; prev=c
v('bomb-00', lol, '')
v('bomb-01', 'a: &a [*a]\n', '')
v('bomb-02', ''.join(f'k{i}: &x{i} v\n' for i in range(100)) + 'r: [' + ','.join(f'*x{i}' for i in range(100)) + ']\n', '')
v('bomb-03', 'a: !!binary AAAA\n', '')
v('bomb-04', 'a: !custom x\n', '')
v('bomb-05', '<<: {a: 1}\n', '')
# deep nesting
v('deep-00', 'a: ' + '['*200 + ']'*200 + '\n', '')
v('deep-01', ''.join('  '*i + f'k{i}:\n' for i in range(100)) + '  '*100 + 'v\n', '')
v('deep-02', 'a: ' + '{b: '*100 + '1' + '}'*100 + '\n', '')
# broken JSON envelopes
env='{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"group":"","version":"v1","kind":"ConfigMap"},"operation":"CREATE","namespace":"ns","object":%s}}'
b('env-00','',400,'error'); b('env-01','{',400,'error'); b('env-02','null',400,'error'); b('env-03','[]',400,'error')
b('env-04','"AdmissionReview"',400,'error'); b('env-05','{}',400,'error'); b('env-06','{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"u"}}',400,'admission.k8s.io/v1')
b('env-07','{"apiVersion":"admission.k8s.io/v1","kind":"Pod","request":{"uid":"u"}}',400,'AdmissionReview')
b('env-08','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}',400,'uid')
b('env-09','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}}',400,'uid')
b('env-10','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":""}}',400,'uid')
b('env-11','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":5}}',400,'error')
b('env-12','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":"x"}',400,'error')
b('env-13','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","kind":"AdmissionReview","request":{"uid":"u"}}',400,'error')
b('env-14','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","uid":"v"}}',400,'error')
b('env-15',env % '{"metadata":{"name":"x","annotations":{"models.ai-gateway.io/values":"true","models.ai-gateway.io/values":"true"}}}',400,'error')
b('env-16',env % ('['*100 + ']'*100),400,'error')
b('env-17','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u"}} trailing',400,'error')
b('env-18','\ufeff{"apiVersion":1}',400,'error')
b('env-19','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","dryRun":"yes"}}',400,'error')
b('env-20','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","object":{"metadata":' + '{"a":'*70 + '1' + '}'*70 + '}}}',400,'error')
b('env-21','\xff\xfe garbage',400,'error')
b('env-22','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":"ConfigMap"}}',400,'error')
# well-formed envelopes whose object is odd: clean answers
b('obj-00',env % 'null',200,'','true')
b('obj-01',env % '"string"',200,'','true')
b('obj-02',env % '{"metadata":{"name":"x","annotations":{"models.ai-gateway.io/values":"true"}}}',200,'values.yaml','false')
b('obj-03',env % '{"metadata":{"name":"x","annotations":{"models.ai-gateway.io/values":"true"}},"data":{"values.yaml":5}}',200,'values.yaml','false')
b('obj-04',env % '{"metadata":{"name":"BAD","annotations":{"models.ai-gateway.io/values":"true"}},"data":{"values.yaml":"a: 1"}}',200,'metadata.name','false')
b('obj-05',env % '{"metadata":{"annotations":{"models.ai-gateway.io/values":"true"}},"data":{"values.yaml":"a: 1"}}',200,'metadata.name','false')
b('obj-06',env % '{"metadata":{"name":"x","annotations":{"models.ai-gateway.io/values":"TRUE"}},"data":{"values.yaml":"{{"}}',200,'','true')
b('obj-07',env % '{"metadata":{"name":"x","annotations":"nope"},"data":{"values.yaml":"{{"}}',200,'','true')
b('obj-08',env % '{"metadata":[],"data":[]}',200,'','true')
b('obj-09','{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"CONNECT"}}',200,'','true')
with open(root+'/expected.tsv','w') as f:
    f.write('# Generated by hack/webhook-corpus.py; edit there. Planted secrets (LEAK there) must never come back in an answer.\n')
    f.write('# file\thttp status\tallowed (true/false, - for no AdmissionReview)\tmessage fragment (in the denial or the 4xx error body)\n')
    for r in rows: f.write('\t'.join(map(str,r))+'\n')
print(len(rows))
