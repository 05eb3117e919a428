-- Argo CD health of a RedisCache (elasticache.operators.dev), from the operator's status:
-- observedGeneration and the conditions Ready, Reconciling and Stalled (string status).
-- Argo CD runs a script from argocd-cm with only the base, table and package libraries and a
-- safe part of os: no string library, so this script only compares and concatenates (..).
-- It agrees with kstatus (Flux, kpt): Healthy = Current, Progressing = InProgress (or
-- Terminating), Degraded = Failed.
local hs = {}

local function find(conditions, kind)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function say(c)
  if c.reason ~= nil and c.message ~= nil then
    return c.reason .. ": " .. c.message
  end
  if c.message ~= nil then
    return c.message
  end
  if c.reason ~= nil then
    return c.reason
  end
  return c.type .. " is " .. c.status
end

if obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Deleting: the operator removes what it made in AWS, in reverse order, then the finalizer"
  return hs
end

local status = obj.status
if status == nil or status.observedGeneration == nil or status.observedGeneration == 0 then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to look at this RedisCache"
  return hs
end

local generation = obj.metadata.generation
if generation ~= nil and status.observedGeneration ~= generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to act on generation " .. generation
    .. " (status describes generation " .. status.observedGeneration .. ")"
  return hs
end

local stalled = find(status.conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = say(stalled)
  return hs
end

local reconciling = find(status.conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = say(reconciling)
  return hs
end

local ready = find(status.conditions, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = say(ready)
  return hs
end

hs.status = "Progressing"
if ready ~= nil then
  hs.message = say(ready)
else
  hs.message = "Waiting for the operator to report Ready"
end
return hs
